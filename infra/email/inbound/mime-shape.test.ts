import { describe, expect, it } from 'vitest';
import { scanMimeShape } from './mime-shape.js';
import * as samples from '../../../test/support/mail-samples.js';

const generous = { maxMimeDepth: 100, maxMimeParts: 10_000 };

describe('scanMimeShape', () => {
  it('measures Outlook’s mixed › related › alternative tree', () => {
    const shape = scanMimeShape(samples.outlookReplyWithoutThreadHeaders, generous);
    // message, related, alternative, text, html, inline image, attachment
    expect(shape).toMatchObject({ depth: 4, parts: 7, attachmentLike: 2, exceeded: null });
    expect(shape.headerBlocks).toHaveLength(7);
  });

  it('counts a single-part message as depth 1', () => {
    expect(scanMimeShape(samples.gbkMail, generous)).toMatchObject({ depth: 1, parts: 1, attachmentLike: 0 });
  });

  it('stops at the depth limit without reading further', () => {
    const shape = scanMimeShape(samples.nestedMultipartBomb(10_000), { maxMimeDepth: 12, maxMimeParts: 400 });
    expect(shape.exceeded).toBe('depth');
    expect(shape.depth).toBe(13);
  });

  it('stops at the part limit', () => {
    const shape = scanMimeShape(samples.manyAttachments(1000), { maxMimeDepth: 12, maxMimeParts: 50 });
    expect(shape.exceeded).toBe('parts');
    expect(shape.parts).toBe(51);
  });

  it('follows an embedded message/rfc822 into its own header block', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i--\r\n--o--\r\n',
    );
    expect(scanMimeShape(raw, generous)).toMatchObject({ depth: 4, parts: 4 });
  });

  it('survives broken structure: missing boundaries, no header block, stray bytes', () => {
    expect(scanMimeShape(samples.brokenMime, generous)).toMatchObject({ depth: 1, parts: 1, exceeded: null });
    expect(scanMimeShape(Buffer.alloc(0), generous)).toMatchObject({ parts: 1, headerBlocks: [] });
    expect(scanMimeShape(Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x\r\n--x'), generous).parts).toBe(4);
  });
});

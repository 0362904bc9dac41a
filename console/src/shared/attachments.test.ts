// The pure parts of attachments: what the picker offers, sizes for people, a refused upload's
// wording, and the body of a message of files alone.
import { describe, expect, it } from 'vitest';
import { ApiError } from './http';
import { attachmentAccept, formatFileSize, isImageType, messageBodyFor, uploadErrorKey } from './attachments';

describe('attachments', () => {
  it('offers images, PDF, text and office files, and nothing that runs', () => {
    const offered = attachmentAccept.split(',');
    expect(offered).toEqual(expect.arrayContaining(['image/*', 'application/pdf', 'text/plain', '.docx', '.xlsx', '.pptx']));
    expect(offered.some((type) => /exe|script|html/i.test(type))).toBe(false);
  });

  it('shows raster images as thumbnails, not SVG or other files', () => {
    expect(isImageType('image/png')).toBe(true);
    expect(isImageType('image/jpeg; charset=binary')).toBe(true);
    expect(isImageType('image/svg+xml')).toBe(false);
    expect(isImageType('application/pdf')).toBe(false);
  });

  it('writes sizes in bytes, KB and MB', () => {
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(1536)).toBe('1.5 KB');
    expect(formatFileSize(12 * 1024 * 1024)).toBe('12 MB');
  });

  it("words the server's refusals: too large, type refused, empty, unreachable", () => {
    expect(uploadErrorKey(new ApiError(413, 'attachment_too_large', 'x'))).toBe('attachments.tooLarge');
    expect(uploadErrorKey(new ApiError(415, 'attachment_type_not_allowed', 'x'))).toBe('attachments.typeRefused');
    expect(uploadErrorKey(new ApiError(400, 'attachment_empty', 'x'))).toBe('attachments.empty');
    expect(uploadErrorKey(new ApiError(0, 'network', 'x'))).toBe('error.network');
    expect(uploadErrorKey(new ApiError(404, 'not_found', 'x'))).toBeNull();
    expect(uploadErrorKey(new Error('bug'))).toBeNull();
  });

  it('sends the typed text, or the uploaded files’ names when nothing was typed', () => {
    const files = [
      { name: 'a.png', attachment: { id: '1' } },
      { name: 'b.pdf', attachment: null },
      { name: 'c.pdf', attachment: { id: '3' } },
    ];
    expect(messageBodyFor('  hello ', files)).toBe('hello');
    expect(messageBodyFor('  ', files)).toBe('a.png, c.pdf');
    expect(messageBodyFor('', [])).toBe('');
  });
});

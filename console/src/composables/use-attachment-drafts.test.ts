// The files of a draft: at most 20 per message (the API's limit, said in words), nothing uploaded
// where no upload is possible (no open conversation), and clearing cancels uploads under way so a
// late answer adds no chip.
import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import type { MessageAttachmentView, UploadFile } from '../shared/attachments';
import { ApiError } from '../shared/http';
import { maxAttachments, useAttachmentDrafts } from './use-attachment-drafts';

const t = translatorOf(createConsoleI18n('en'));
const file = (name: string) => new File(['text'], name, { type: 'text/plain' });
const stored = (f: File): MessageAttachmentView => ({ id: `id-${f.name}`, fileName: f.name, contentType: f.type, size: f.size, inline: false });

describe('useAttachmentDrafts', () => {
  it(`takes at most ${maxAttachments} files and says so`, async () => {
    const upload: UploadFile = async (f) => stored(f);
    const files = useAttachmentDrafts(() => upload, t);
    await files.add(Array.from({ length: maxAttachments + 2 }, (_, i) => file(`f${i}.txt`)));
    expect(files.ids.value).toHaveLength(maxAttachments);
    expect(files.error.value).toBe(`At most ${maxAttachments} files can be sent with one message.`);
  });

  it('uploads nothing when there is nowhere to upload to', async () => {
    const files = useAttachmentDrafts(() => null, t);
    await files.add([file('a.txt')]);
    expect(files.drafts.value).toEqual([]);
  });

  it('cancels uploads under way on clear, and a late answer adds nothing', async () => {
    let finish: ((attachment: MessageAttachmentView) => void) | null = null;
    let signal: AbortSignal | null = null;
    const upload: UploadFile = (f, _progress, s) => {
      signal = s;
      return new Promise((resolve) => (finish = resolve));
    };
    const files = useAttachmentDrafts(() => upload, t);
    const adding = files.add([file('late.txt')]);
    expect(files.uploading.value).toBe(true);
    files.clear();
    expect(signal!.aborted).toBe(true);
    finish!(stored(file('late.txt')));
    await adding;
    expect(files.drafts.value).toEqual([]);
    expect(files.ids.value).toEqual([]);
    expect(files.error.value).toBeNull();
  });

  it('words an unexpected failure with the server’s message', async () => {
    const upload: UploadFile = async () => {
      throw new ApiError(403, 'forbidden', 'You may not add files here.');
    };
    const files = useAttachmentDrafts(() => upload, t);
    await files.add([file('a.txt')]);
    expect(files.error.value).toBe('“a.txt” could not be uploaded: You may not add files here.');
  });
});

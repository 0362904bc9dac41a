// @vitest-environment happy-dom
// Attaching files to a message not yet sent (widget and reply box): picked files upload at once
// with their progress, become chips (an image with its thumbnail) that can be removed, and their
// ids are what the message sends; the server's 413/415 are said in words and leave no chip.
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { useAttachmentDrafts, type AttachmentDrafts } from '../composables/use-attachment-drafts';
import { ApiError } from './http';
import type { MessageAttachmentView, UploadFile } from './attachments';
import AttachButton from './AttachButton.vue';
import AttachmentChips from './AttachmentChips.vue';

interface Pending {
  file: File;
  progress: (fraction: number) => void;
  resolve: (attachment: MessageAttachmentView) => void;
  reject: (cause: unknown) => void;
  signal: AbortSignal;
}

function setup(locale: 'en' | 'zh-CN' = 'en') {
  const i18n = createConsoleI18n(locale);
  const uploads: Pending[] = [];
  const upload: UploadFile = (file, progress, signal) =>
    new Promise((resolve, reject) => {
      uploads.push({ file, progress, resolve, reject, signal });
    });
  let files!: AttachmentDrafts;
  const Harness = defineComponent({
    setup() {
      files = useAttachmentDrafts(() => upload, translatorOf(i18n));
      return () => h('div', [h(AttachmentChips, { files }), h(AttachButton, { onPick: (picked: File[]) => files.add(picked) })]);
    },
  });
  const wrapper = mount(Harness, { global: { plugins: [i18n] } });
  return { wrapper, uploads, files: () => files };
}

const stored = (id: string, file: File): MessageAttachmentView => ({ id, fileName: file.name, contentType: file.type, size: file.size, inline: false });
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'screenshot.png', { type: 'image/png' });
const pdf = () => new File(['%PDF-1.4 statement'], 'statement.pdf', { type: 'application/pdf' });

/** Picks files as the browser's picker does: the input's files, then its change event. */
async function pick(wrapper: ReturnType<typeof setup>['wrapper'], picked: File[]) {
  const input = wrapper.get('[data-testid="attach-input"]');
  Object.defineProperty(input.element, 'files', { value: picked, configurable: true });
  await input.trigger('change');
}

describe('attaching files', () => {
  it('offers a picker for images, PDF, text and office files, several at once, without forcing the camera', () => {
    const { wrapper } = setup();
    const input = wrapper.get('[data-testid="attach-input"]').element as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toContain('image/*');
    expect(input.accept).toContain('application/pdf');
    expect(input.hasAttribute('capture')).toBe(false);
    expect(wrapper.get('[data-testid="attach-button"]').attributes('aria-label')).toBe('Attach files');
  });

  it('uploads each picked file with its progress, then shows it ready with its size and sends its id', async () => {
    const { wrapper, uploads, files } = setup();
    await pick(wrapper, [png(), pdf()]);
    await flushPromises();
    expect(uploads.map((u) => u.file.name)).toEqual(['screenshot.png', 'statement.pdf']);
    const chips = () => wrapper.findAll('[data-testid="attachment-draft"]');
    expect(chips().map((c) => c.attributes('data-status'))).toEqual(['uploading', 'uploading']);
    expect(files().uploading.value).toBe(true);

    uploads[0]!.progress(0.5);
    await flushPromises();
    expect(chips()[0]!.text()).toContain('Uploading… 50%');

    uploads[0]!.resolve(stored('id-png', uploads[0]!.file));
    uploads[1]!.resolve(stored('id-pdf', uploads[1]!.file));
    await flushPromises();
    expect(chips().map((c) => c.attributes('data-status'))).toEqual(['ready', 'ready']);
    expect(chips()[1]!.text()).toContain('statement.pdf');
    expect(chips()[1]!.text()).toContain('18 B');
    expect(files().uploading.value).toBe(false);
    expect(files().ids.value).toEqual(['id-png', 'id-pdf']);
    // The picked image is previewed from the file itself, as a data: URL (the page's CSP allows no blob: image).
    expect(wrapper.get('[data-testid="attachment-draft-thumb"]').attributes('src')).toMatch(/^data:image\/png;base64,/);
  });

  it('removes a chip before sending: its id is not sent and its upload, if under way, is cancelled', async () => {
    const { wrapper, uploads, files } = setup();
    await pick(wrapper, [png(), pdf()]);
    await flushPromises();
    uploads[0]!.resolve(stored('id-png', uploads[0]!.file));
    await flushPromises();

    await wrapper.findAll('[data-testid="attachment-draft-remove"]')[1]!.trigger('click');
    expect(uploads[1]!.signal.aborted).toBe(true);
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(1);
    expect(files().uploading.value).toBe(false);

    await wrapper.get('[data-testid="attachment-draft-remove"]').trigger('click');
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(0);
    expect(files().ids.value).toEqual([]);
  });

  it("says the server's 413 and 415 in words, names the file and keeps no chip", async () => {
    const { wrapper, uploads, files } = setup();
    await pick(wrapper, [png()]);
    await flushPromises();
    uploads[0]!.reject(new ApiError(413, 'attachment_too_large', 'The file is too large: at most 10485760 bytes are accepted.'));
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-error"]').text()).toBe('“screenshot.png” is too large to send.');
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(0);
    expect(files().ids.value).toEqual([]);

    await pick(wrapper, [pdf()]);
    await flushPromises();
    expect(wrapper.find('[data-testid="attachment-error"]').exists()).toBe(false);
    uploads[1]!.reject(new ApiError(415, 'attachment_type_not_allowed', 'refused'));
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-error"]').text()).toBe('“statement.pdf”: this type of file cannot be sent.');
  });

  it('speaks Chinese in zh-CN', async () => {
    const { wrapper, uploads } = setup('zh-CN');
    expect(wrapper.get('[data-testid="attach-button"]').attributes('aria-label')).toBe('添加附件');
    await pick(wrapper, [pdf()]);
    await flushPromises();
    uploads[0]!.reject(new ApiError(415, 'attachment_type_not_allowed', 'refused'));
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-error"]').text()).toBe('“statement.pdf”：不能发送此类型的文件。');
  });

  it('clears the chips once the message is sent', async () => {
    const { wrapper, uploads, files } = setup();
    await pick(wrapper, [pdf()]);
    await flushPromises();
    uploads[0]!.resolve(stored('id-pdf', uploads[0]!.file));
    await flushPromises();
    files().clear();
    await flushPromises();
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(0);
  });
});

// @vitest-environment happy-dom
// Files in the reply box: picked files upload to the conversation at once, show as chips that can
// be removed, and go with the reply or note as attachmentIds; Send waits while one uploads; a
// refused upload (415) is said in words and sends nothing.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleI18n } from '../i18n/create-i18n';
import { ApiError } from '../shared/http';
import type { MessageAttachmentView } from '../shared/attachments';
import ReplyBox from './ReplyBox.vue';

interface Pending {
  file: File;
  resolve: (attachment: MessageAttachmentView) => void;
  reject: (cause: unknown) => void;
}
const uploads: Pending[] = [];
const uploadedTo: string[] = [];
const sendMessage = vi.fn();
vi.mock('./inbox-api', () => ({
  inboxApi: {
    sendMessage: (...args: unknown[]) => sendMessage(...args),
    upload: (conversationId: string) => (file: File) => {
      uploadedTo.push(conversationId);
      return new Promise((resolve, reject) => uploads.push({ file, resolve, reject }));
    },
  },
}));
vi.mock('../realtime/live', () => ({ sendTyping: () => {} }));

const pdf = () => new File(['%PDF-1.4 statement'], 'statement.pdf', { type: 'application/pdf' });
const stored = (id: string, file: File): MessageAttachmentView => ({ id, fileName: file.name, contentType: file.type, size: file.size, inline: false });

function mountBox(locale: 'en' | 'zh-CN' = 'en') {
  return mount(ReplyBox, { props: { conversationId: 'conv-1' }, global: { plugins: [createConsoleI18n(locale)] } });
}

async function pick(wrapper: ReturnType<typeof mountBox>, picked: File[]) {
  const input = wrapper.get('[data-testid="attach-input"]');
  Object.defineProperty(input.element, 'files', { value: picked, configurable: true });
  await input.trigger('change');
  await flushPromises();
}

beforeEach(() => {
  uploads.length = 0;
  uploadedTo.length = 0;
  sendMessage.mockReset();
  sendMessage.mockResolvedValue({ message: { id: 'm1' } });
});

describe('ReplyBox attachments', () => {
  it('sends the uploaded files with the reply, waiting while one uploads, then clears them', async () => {
    const wrapper = mountBox();
    await wrapper.get('[data-testid="reply-box"]').setValue('Here is the form');
    await pick(wrapper, [pdf()]);
    expect(uploadedTo).toEqual(['conv-1']);
    expect(wrapper.get('[data-testid="attachment-draft"]').attributes('data-status')).toBe('uploading');
    expect(wrapper.get('[data-testid="send-button"]').attributes('disabled')).toBeDefined();

    uploads[0]!.resolve(stored('f1', uploads[0]!.file));
    await flushPromises();
    expect(wrapper.get('[data-testid="send-button"]').attributes('disabled')).toBeUndefined();
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(sendMessage).toHaveBeenCalledTimes(1);
    expect(sendMessage.mock.calls[0]![0]).toBe('conv-1');
    expect(sendMessage.mock.calls[0]![1]).toEqual({ body: 'Here is the form', private: false, attachmentIds: ['f1'] });
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(0);
    expect(wrapper.emitted('sent')).toHaveLength(1);
  });

  it('sends a note with files, and files alone under their names; a removed file is not sent', async () => {
    const wrapper = mountBox();
    await wrapper.get('[data-testid="private-toggle"]').trigger('click');
    await pick(wrapper, [pdf(), new File(['x'], 'extra.txt', { type: 'text/plain' })]);
    uploads[0]!.resolve(stored('f1', uploads[0]!.file));
    uploads[1]!.resolve(stored('f2', uploads[1]!.file));
    await flushPromises();
    await wrapper.findAll('[data-testid="attachment-draft-remove"]')[1]!.trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sendMessage.mock.calls[0]![1]).toEqual({ body: 'statement.pdf', private: true, attachmentIds: ['f1'] });
  });

  it('says a refused type in words and sends no file', async () => {
    const wrapper = mountBox('zh-CN');
    await pick(wrapper, [pdf()]);
    uploads[0]!.reject(new ApiError(415, 'attachment_type_not_allowed', 'refused'));
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-error"]').text()).toBe('“statement.pdf”：不能发送此类型的文件。');
    expect(wrapper.get('[data-testid="send-button"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="reply-box"]').setValue('Sorry');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(sendMessage.mock.calls[0]![1]).toEqual({ body: 'Sorry', private: false });
  });
});

describe('ReplyBox pasted files', () => {
  it('attaches a pasted screenshot and leaves pasted text to the textarea', async () => {
    const wrapper = mountBox();
    const textarea = wrapper.get('[data-testid="reply-box"]');
    const screenshot = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'image.png', { type: 'image/png' });
    await textarea.trigger('paste', { clipboardData: { files: [screenshot] } });
    await flushPromises();
    expect(uploads.map((u) => u.file.name)).toEqual(['image.png']);
    expect(wrapper.findAll('[data-testid="attachment-draft"]')).toHaveLength(1);

    await textarea.trigger('paste', { clipboardData: { files: [] } });
    await flushPromises();
    expect(uploads).toHaveLength(1);
  });
});

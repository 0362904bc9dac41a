// @vitest-environment happy-dom
// A message's files: images fetched with the token and shown as data: URL thumbnails, other files
// as a download button that fetches the file and saves it under its name; a failed download says so.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleI18n } from '../i18n/create-i18n';
import type { MessageAttachmentView } from './attachments';
import AttachmentList from './AttachmentList.vue';

const image: MessageAttachmentView = { id: 'a1', fileName: 'photo.png', contentType: 'image/png', size: 7, inline: false };
const statement: MessageAttachmentView = { id: 'a2', fileName: '对账单.pdf', contentType: 'application/pdf', size: 2048, inline: false };
const pngBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

function mountList(load: (id: string) => Promise<Blob>, locale: 'en' | 'zh-CN' = 'en') {
  return mount(AttachmentList, { props: { attachments: [image, statement], load }, global: { plugins: [createConsoleI18n(locale)] } });
}

afterEach(() => vi.restoreAllMocks());

describe('AttachmentList', () => {
  it('shows an image as a thumbnail fetched through load, and another file as a download button with its size', async () => {
    const load = vi.fn(async (id: string) => (id === 'a1' ? new Blob([pngBytes], { type: 'image/png' }) : new Blob(['%PDF'], { type: 'application/pdf' })));
    const wrapper = mountList(load);
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attachment-thumb"]').exists()).toBe(true), { timeout: 2000 });
    expect(load).toHaveBeenCalledWith('a1');
    expect(load).not.toHaveBeenCalledWith('a2');
    const thumb = wrapper.get('[data-testid="attachment-thumb"]');
    expect(thumb.attributes('src')).toMatch(/^data:image\/png;base64,/);
    expect(thumb.attributes('alt')).toBe('Image: photo.png');
    const items = wrapper.findAll('[data-testid="message-attachment"]');
    expect(items.map((i) => i.attributes('data-kind'))).toEqual(['image', 'file']);
    expect(wrapper.get('[data-kind="file"] [data-testid="attachment-download"]').text()).toContain('对账单.pdf');
    expect(wrapper.get('[data-kind="file"] [data-testid="attachment-download"]').text()).toContain('2 KB');
  });

  it('saves a file under its own name when its download button is pressed', async () => {
    const load = vi.fn(async (id: string) => (id === 'a1' ? new Blob([pngBytes], { type: 'image/png' }) : new Blob(['%PDF'], { type: 'application/pdf' })));
    const createObjectURL = vi.fn(() => 'blob:saved');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    const wrapper = mountList(load);
    await wrapper.get('[data-kind="file"] [data-testid="attachment-download"]').trigger('click');
    await flushPromises();
    expect(load).toHaveBeenCalledWith('a2');
    expect(clicked).toEqual([{ href: 'blob:saved', download: '对账单.pdf' }]);
  });

  it('says when a file cannot be downloaded, in the language in use', async () => {
    const load = vi.fn(async (id: string) => {
      if (id === 'a2') throw new Error('404');
      return new Blob([pngBytes], { type: 'image/png' });
    });
    const wrapper = mountList(load, 'zh-CN');
    await wrapper.get('[data-kind="file"] [data-testid="attachment-download"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="attachment-download-error"]').text()).toBe('无法下载“对账单.pdf”。');
  });

  it('never puts anything but a raster image in an <img>', async () => {
    const load = vi.fn(async () => new Blob(['<svg onload="x"/>'], { type: 'image/svg+xml' }));
    const wrapper = mountList(load);
    await flushPromises();
    expect(load).toHaveBeenCalledWith('a1');
    expect(wrapper.find('[data-testid="attachment-thumb"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="attachment-download"]')).toHaveLength(2);
  });
});

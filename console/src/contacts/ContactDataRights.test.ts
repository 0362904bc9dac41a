// @vitest-environment happy-dom
// A contact's data rights as a component: shown to admins only; "Export data" downloads the zip
// with the session's token; "Erase contact…" erases only once the contact's name (or ERASE) is
// typed, and a refusal is said in words (en and zh-CN).
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../auth/session';
import { i18n, setLocale } from '../i18n/i18n';
import { toApiError } from '../shared/http';
import ContactDataRights from './ContactDataRights.vue';

const customer = { id: 'c0000000-0000-4000-8000-000000000000', name: 'Zoë Quint' };
const requests: { method: string; path: string; body: unknown }[] = [];
let eraseAnswer: () => Promise<unknown>;
const downloads: { path: string; token: string | null }[] = [];
const saved: string[] = [];

vi.mock('../auth/session', async (original) => ({
  ...(await original<typeof import('../auth/session')>()),
  sessionRequest: (method: string, path: string, options?: { body?: unknown }) => {
    requests.push({ method, path, body: options?.body });
    return eraseAnswer();
  },
}));
vi.mock('../shared/attachments', () => ({
  fetchAttachment: async (path: string, token: string | null) => {
    downloads.push({ path, token });
    return new Blob(['zip']);
  },
  saveBlob: (_blob: Blob, name: string) => void saved.push(name),
}));

const mountAs = (role: 'admin' | 'agent') => {
  session.token = 'sst_test';
  session.user = { id: 'u1', email: 'a@example.com', name: 'Ada', role } as typeof session.user;
  return mount(ContactDataRights, { props: { customer }, global: { plugins: [i18n] }, attachTo: document.body });
};

describe('ContactDataRights', () => {
  beforeEach(() => {
    requests.length = 0;
    downloads.length = 0;
    saved.length = 0;
    eraseAnswer = async () => ({ erasure: { customerId: customer.id } });
  });
  afterEach(() => {
    setLocale('en');
    session.user = null;
    document.body.innerHTML = '';
  });

  it('is not shown to agents', () => {
    expect(mountAs('agent').find('[data-testid="contact-data-rights"]').exists()).toBe(false);
  });

  it('downloads the export with the session token', async () => {
    const wrapper = mountAs('admin');
    await wrapper.get('[data-testid="contact-export"]').trigger('click');
    await flushPromises();
    expect(downloads).toEqual([{ path: `/api/customers/${customer.id}/export`, token: 'sst_test' }]);
    expect(saved).toEqual([`contact-${customer.id}.zip`]);
  });

  it('erases only once the name or ERASE is typed', async () => {
    const wrapper = mountAs('admin');
    await wrapper.get('[data-testid="contact-erase-open"]').trigger('click');
    expect(document.body.textContent).toContain('Type “Zoë Quint” or ERASE to confirm');
    const confirm = () => document.querySelector<HTMLButtonElement>('[data-testid="erase-confirm"]')!;
    const input = document.querySelector<HTMLInputElement>('[data-testid="erase-confirm-input"]')!;
    expect(confirm().disabled).toBe(true);
    input.value = 'Zoë';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    expect(confirm().disabled).toBe(true);
    input.value = ' Zoë Quint ';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    expect(confirm().disabled).toBe(false);
    confirm().click();
    await flushPromises();
    expect(requests).toEqual([{ method: 'POST', path: `/api/customers/${customer.id}/erase`, body: { confirm: ' Zoë Quint ' } }]);
    expect(wrapper.emitted('erased')).toHaveLength(1);
    expect(wrapper.get('[data-testid="contact-erased"]').text()).toBe('Contact erased.');
  });

  it('says a refusal in words, in Chinese too, and hands nothing on', async () => {
    setLocale('zh-CN');
    eraseAnswer = async () => {
      throw toApiError(503, { error: { code: 'service_unavailable', message: 'The database is unavailable right now; try again shortly.' } });
    };
    const wrapper = mountAs('admin');
    expect(wrapper.get('[data-testid="contact-erase-open"]').text()).toBe('删除联系人…');
    await wrapper.get('[data-testid="contact-erase-open"]').trigger('click');
    const input = document.querySelector<HTMLInputElement>('[data-testid="erase-confirm-input"]')!;
    input.value = 'erase';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-testid="erase-confirm"]')!.click();
    await flushPromises();
    expect(document.querySelector('[data-testid="erase-error"]')?.textContent).toContain('try again shortly');
    expect(wrapper.emitted('erased')).toBeUndefined();
  });
});

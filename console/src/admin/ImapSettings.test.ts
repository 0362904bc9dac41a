// @vitest-environment happy-dom
// An email channel's IMAP polling as a component: its mailbox and health with the last error,
// the form saving the whole settings (the password only when typed), the server's 400 problems
// at their fields, and "Test connection" saying what the login found.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import type { ChannelView, ImapSettings } from './admin-types';
import ImapSettingsView from './ImapSettings.vue';

const calls: { kind: 'save' | 'test'; channelId: string; body: unknown }[] = [];
let saveAnswer: () => Promise<unknown>;
let testAnswer: () => Promise<unknown>;
vi.mock('./admin-api', () => ({
  adminApi: {
    saveImap: (channelId: string, body: unknown) => {
      calls.push({ kind: 'save', channelId, body });
      return saveAnswer();
    },
    testImap: (channelId: string, body: unknown) => {
      calls.push({ kind: 'test', channelId, body });
      return testAnswer();
    },
  },
}));

const stored: ImapSettings = {
  host: 'imap.shop.example',
  port: 993,
  tls: 'tls',
  username: 'support@shop.example',
  passwordSet: true,
  mailbox: 'INBOX',
  enabled: true,
  pollIntervalSeconds: 60,
  importDays: 3,
  health: {
    status: 'failing',
    lastPolledAt: '2026-12-01T10:00:00.000Z',
    lastErrorCode: 'auth_failed',
    lastError: 'The server refused the user name or password.',
    lastErrorAt: '2026-12-01T11:00:00.000Z',
  },
  updatedAt: '2026-12-01T09:00:00.000Z',
};

const channel = (imap: ImapSettings | null): ChannelView =>
  ({ id: 'c1', kind: 'email', name: 'Support email', enabled: true, settings: {}, createdAt: '2026-12-01T00:00:00.000Z', imap }) as ChannelView;

const mountImap = (imap: ImapSettings | null) =>
  mount(ImapSettingsView, { props: { channel: channel(imap) }, global: { plugins: [i18n] }, attachTo: document.body });

describe('ImapSettings', () => {
  beforeEach(() => {
    calls.length = 0;
    saveAnswer = async () => ({ imap: { ...stored, host: 'mail.shop.example', health: { ...stored.health, status: 'pending', lastError: null } } });
    testAnswer = async () => ({ ok: true, mailbox: { path: 'INBOX', messages: 12, uidValidity: 7 } });
  });
  afterEach(() => setLocale('en'));

  it('shows the mailbox it reads and its health, the last error included', async () => {
    const wrapper = mountImap(stored);
    expect(wrapper.get('[data-testid="imap-status"]').attributes('data-status')).toBe('failing');
    expect(wrapper.get('[data-testid="imap-status"]').text()).toBe('Failing');
    expect(wrapper.get('[data-testid="imap-summary"]').text()).toBe('support@shop.example on imap.shop.example:993, folder INBOX, every 60 s');
    expect(wrapper.get('[data-testid="imap-last-error"]').text()).toContain('(auth_failed)');
    expect(wrapper.get('[data-testid="imap-last-error"]').text()).toContain('The server refused the user name or password.');
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="imap-status"]').text()).toBe('出错');
    expect(mountImap(null).find('[data-testid="imap-not-set"]').exists()).toBe(true);
  });

  it('saves the whole settings, keeping the stored password when none is typed', async () => {
    const wrapper = mountImap(stored);
    await wrapper.get('[data-testid="imap-edit"]').trigger('click');
    await wrapper.get('[data-testid="imap-input-host"]').setValue('mail.shop.example');
    await wrapper.get('[data-testid="imap-input-interval"]').setValue('120');
    expect((wrapper.get('[data-testid="imap-input-import-days"]').element as HTMLInputElement).value).toBe('3');
    await wrapper.get('[data-testid="imap-input-import-days"]').setValue('7');
    await wrapper.get('[data-testid="imap-form"]').trigger('submit');
    await flushPromises();
    expect(calls).toEqual([
      {
        kind: 'save',
        channelId: 'c1',
        body: {
          host: 'mail.shop.example',
          port: 993,
          tls: 'tls',
          username: 'support@shop.example',
          mailbox: 'INBOX',
          enabled: true,
          pollIntervalSeconds: 120,
          importDays: 7,
        },
      },
    ]);
    expect(wrapper.find('[data-testid="imap-form"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="imap-status"]').attributes('data-status')).toBe('pending');
    expect(wrapper.get('[data-testid="imap-summary"]').text()).toContain('mail.shop.example');
  });

  it("shows the server's 400 problems at their fields and keeps the form open", async () => {
    saveAnswer = () =>
      Promise.reject(
        new ApiError(400, 'invalid_input', 'The request body is not valid.', [
          { path: 'port', message: 'Too big: expected number to be <=65535' },
          { path: 'password', message: 'Required the first time' },
        ]),
      );
    const wrapper = mountImap(null);
    await wrapper.get('[data-testid="imap-edit"]').trigger('click');
    await wrapper.get('[data-testid="imap-input-port"]').setValue('99999');
    await wrapper.get('[data-testid="imap-form"]').trigger('submit');
    await flushPromises();
    expect(calls[0]?.body).toMatchObject({ port: 99999 });
    expect(calls[0]?.body).not.toHaveProperty('password');
    expect(wrapper.get('[data-testid="imap-error-port"]').text()).toBe('Too big: expected number to be <=65535');
    expect(wrapper.get('[data-testid="imap-error-password"]').text()).toBe('Required the first time');
    expect(wrapper.find('[data-testid="imap-form"]').exists()).toBe(true);
  });

  it('tests the connection with what the form says, password included when typed, and says the outcome', async () => {
    const wrapper = mountImap(stored);
    await wrapper.get('[data-testid="imap-edit"]').trigger('click');
    await wrapper.get('[data-testid="imap-input-password"]').setValue('s3cret');
    await wrapper.get('[data-testid="imap-test"]').trigger('click');
    await flushPromises();
    expect(calls).toEqual([
      {
        kind: 'test',
        channelId: 'c1',
        body: { host: 'imap.shop.example', port: 993, tls: 'tls', username: 'support@shop.example', password: 's3cret', mailbox: 'INBOX' },
      },
    ]);
    expect(wrapper.get('[data-testid="imap-test-result"]').attributes('data-ok')).toBe('true');
    expect(wrapper.get('[data-testid="imap-test-result"]').text()).toBe('Connected: INBOX holds 12 messages.');
    testAnswer = async () => ({ ok: false, code: 'host_not_found', message: 'No such host.' });
    await wrapper.get('[data-testid="imap-test"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="imap-test-result"]').text()).toBe('Connection failed (host_not_found): No such host.');
  });
});

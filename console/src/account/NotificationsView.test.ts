// @vitest-environment happy-dom
// The Notifications page: the browser's permission is asked when desktop notifications are
// switched on, never on load; refused, the switch stays off and says why; each change is saved
// with the account.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultNotificationPreferences } from '../../../contract/requests/account';
import { i18n, setLocale } from '../i18n/i18n';
import { notificationPreferences } from '../inbox/notification-preferences';
import NotificationsView from './NotificationsView.vue';

const request = vi.fn();
vi.mock('../auth/session', () => ({
  session: { user: { id: 'me' } },
  sessionRequest: (...args: unknown[]) => request(...args),
}));

const requestPermission = vi.fn<() => Promise<NotificationPermission>>();
function fakeNotifications(permission: NotificationPermission) {
  vi.stubGlobal('Notification', { permission, requestPermission });
}

beforeEach(() => {
  request.mockReset();
  request.mockImplementation(async (method: string, _path: string, options?: { body?: unknown }) =>
    method === 'GET' ? { preferences: defaultNotificationPreferences } : { preferences: options?.body },
  );
  requestPermission.mockReset();
  // The preferences are the session's (loaded once): each test starts from the defaults.
  notificationPreferences.value = { ...defaultNotificationPreferences };
});
afterEach(() => {
  vi.unstubAllGlobals();
  setLocale('en');
});

const mountPage = async () => {
  const wrapper = mount(NotificationsView, { global: { plugins: [i18n] } });
  await flushPromises();
  return wrapper;
};

describe('NotificationsView', () => {
  it('asks the browser only when desktop notifications are switched on, then saves them', async () => {
    fakeNotifications('default');
    requestPermission.mockResolvedValue('granted');
    const wrapper = await mountPage();
    expect(requestPermission).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="notify-desktop"]').setValue(true);
    await flushPromises();
    expect(requestPermission).toHaveBeenCalledOnce();
    expect(request).toHaveBeenLastCalledWith('PUT', '/api/me/notifications', { body: { ...defaultNotificationPreferences, desktop: true } });
    expect(wrapper.get('[data-testid="notify-saved"]').text()).toBe('Saved.');
  });

  it('keeps the switch off and says why when the browser refuses', async () => {
    fakeNotifications('default');
    requestPermission.mockResolvedValue('denied');
    const wrapper = await mountPage();
    await wrapper.get('[data-testid="notify-desktop"]').setValue(true);
    await flushPromises();
    expect(request).not.toHaveBeenCalledWith('PUT', expect.anything(), expect.anything());
    expect((wrapper.get('[data-testid="notify-desktop"]').element as HTMLInputElement).checked).toBe(false);
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="notify-blocked"]').text()).toContain('浏览器已禁止本站的通知');
  });

  it('saves a kind switched off', async () => {
    fakeNotifications('granted');
    const wrapper = await mountPage();
    await wrapper.get('[data-testid="notify-mention"]').setValue(false);
    await flushPromises();
    expect(request).toHaveBeenLastCalledWith('PUT', '/api/me/notifications', { body: { ...defaultNotificationPreferences, mention: false } });
  });
});

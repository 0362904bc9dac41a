// The console's notifier, run by the shell (App.vue) on whatever screen is open: each live event
// is weighed (notify.ts) and, as the person's preferences say, shown as a desktop notification
// (clicking it opens the conversation) and/or a short tone. Whose a conversation is comes with
// assignment, mention and SLA events; for a customer's message it is the inbox's rows, which the
// inbox shares here (inboxRows) — known once the inbox has been opened. Notification permission is
// never asked here: the account's Notifications page asks when the person switches them on.
import { shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import type { EventView } from '../../../domain/events';
import { useI18n } from '../i18n/use-i18n';
import type { ConversationView } from '../shared/wire-types';
import { notificationPermission, notificationPreferences } from './notification-preferences';
import { deliveryOf, noticeFor, type Notice } from './notify';

/** The inbox's rows as it last held them (InboxView keeps this current). */
export const inboxRows = shallowRef<Readonly<Record<string, ConversationView>>>({});

let audio: AudioContext | null = null;

/** A short two-note chime, made by the Web Audio API (no file to load). */
export function playChime(): void {
  if (typeof AudioContext === 'undefined') return;
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, frequency] of [880, 1175].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.12, start + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.12 + 0.18);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + i * 0.12);
      tone.stop(start + i * 0.12 + 0.2);
    }
  } catch {
    // A browser that refuses to play before the person interacted: no tone this time.
  }
}

/** `userId`: the signed-in person (null: nobody, nothing notifies). */
export function useNotifier(userId: () => string | null) {
  const { t } = useI18n();
  const router = useRouter();

  const titleOf = (notice: Notice) => t(`notifications.title.${notice.kind}`, { number: notice.number ?? '' });

  function show(notice: Notice) {
    const notification = new Notification(titleOf(notice), { body: notice.text || undefined, tag: `${notice.kind}:${notice.conversationId}` });
    notification.onclick = () => {
      window.focus();
      void router.push(`/inbox/${notice.kind === 'mention' ? 'all' : 'mine'}/${notice.conversationId}`);
      notification.close();
    };
  }

  /** Weighs one live event; call it for every event the inbox receives. */
  return function consider(event: EventView) {
    const me = userId();
    if (!me) return;
    const notice = noticeFor(event, {
      userId: me,
      preferences: notificationPreferences.value,
      hidden: document.visibilityState === 'hidden',
      conversations: inboxRows.value,
    });
    if (!notice) return;
    const delivery = deliveryOf(notificationPreferences.value, notificationPermission());
    if (delivery.desktop) show(notice);
    if (delivery.sound) playChime();
  };
}

// The widget's offline form (issue 21): outside every team's hours or with nobody online — and
// only while an email channel is on to answer from (GET /api/widget/availability's `offlineForm`)
// — a visitor with no conversation under way may leave a name, an email and a message instead of
// chatting. The server
// makes an email conversation of it (POST /api/widget/offline-messages) and the reply comes by
// mail. One Idempotency-Key per filled-in form: a retry after a lost answer is the same message.
import { ref } from 'vue';
import { newIdempotencyKey } from '../shared/idempotency';
import type { SupportAvailability } from './reply-expectation';

export interface OfflineMessage {
  channelId?: string;
  name?: string;
  email: string;
  message: string;
  locale?: string;
}

/** Whether the widget shows the offline form instead of the chat composer. */
export function offersOfflineForm(availability: SupportAvailability | null, conversationUnderWay: boolean): boolean {
  const away = availability ? !availability.open || availability.agentsOnline === false : false;
  return Boolean(away && availability?.offlineForm && !conversationUnderWay);
}

/** The form's fields and its sending; `sentTo` is the address the reply will go to once it is taken. */
export function useOfflineForm(send: (input: OfflineMessage, idempotencyKey: string) => Promise<{ email: string }>, describeError: (cause: unknown) => string) {
  const fields = ref({ name: '', email: '', message: '' });
  const sending = ref(false);
  const error = ref<string | null>(null);
  const sentTo = ref<string | null>(null);
  let key: { text: string; value: string } | null = null;

  async function submit(context: { channelId?: string; locale: string }) {
    const { name, email, message } = fields.value;
    if (sending.value || !email.trim() || !message.trim()) return;
    // The same form sent again (after a failure) keeps its key; a changed one is a new message.
    const text = JSON.stringify([name.trim(), email.trim(), message.trim()]);
    if (key?.text !== text) key = { text, value: newIdempotencyKey() };
    sending.value = true;
    error.value = null;
    try {
      const taken = await send(
        {
          ...(context.channelId ? { channelId: context.channelId } : {}),
          ...(name.trim() ? { name: name.trim() } : {}),
          email: email.trim(),
          message: message.trim(),
          locale: context.locale,
        },
        key.value,
      );
      sentTo.value = taken.email;
      key = null;
    } catch (cause) {
      error.value = describeError(cause);
    } finally {
      sending.value = false;
    }
  }

  return { fields, sending, error, sentTo, submit };
}

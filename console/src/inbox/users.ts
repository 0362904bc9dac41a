// The team directory (GET /api/users), loaded once per session and shared: assignee names in
// the conversation header and the journey, and the transfer targets.
import { ref } from 'vue';
import { api } from '../auth/session';
import type { UserView } from '../shared/wire-types';

export const users = ref<UserView[]>([]);
let loading: Promise<void> | null = null;

/** Loads the directory unless it is loaded or loading; a failure leaves it for the next call. */
export function loadUsers(): Promise<void> {
  loading ??= api
    .listUsers()
    .then((result) => {
      users.value = result.users;
    })
    .catch(() => {
      loading = null;
    });
  return loading;
}

export function userName(id: string | null | undefined): string | null {
  return id ? (users.value.find((user) => user.id === id)?.name ?? null) : null;
}

/** Forget the directory on sign-out; the next agent may see other people. */
export function clearUsers(): void {
  users.value = [];
  loading = null;
}

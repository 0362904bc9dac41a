// The team directory (GET /api/users and GET /api/teams), loaded once per session and shared:
// assignee names in the conversation header and the journey, and the transfer targets (agents
// by name, teams by theirs).
import { ref } from 'vue';
import { api } from '../auth/session';
import type { TeamView, UserView } from '../shared/wire-types';

export const users = ref<UserView[]>([]);
export const teams = ref<TeamView[]>([]);
let loading: Promise<void> | null = null;

/** Loads the directory unless it is loaded or loading; a failure leaves it for the next call. */
export function loadUsers(): Promise<void> {
  loading ??= Promise.all([api.listUsers(), api.listTeams()])
    .then(([userList, teamList]) => {
      users.value = userList.users;
      teams.value = teamList.teams;
    })
    .catch(() => {
      loading = null;
    });
  return loading;
}

export function userName(id: string | null | undefined): string | null {
  return id ? (users.value.find((user) => user.id === id)?.name ?? null) : null;
}

export function teamName(id: string | null | undefined): string | null {
  return id ? (teams.value.find((team) => team.id === id)?.name ?? null) : null;
}

/** Forget the directory on sign-out; the next agent may see other people. */
export function clearUsers(): void {
  users.value = [];
  teams.value = [];
  loading = null;
}

// Screens of the console. Hash history: the built console works from any static file server
// (the API serves console/dist) without a fallback route for deep links.
import { createRouter, createWebHashHistory } from 'vue-router';
import LoginView from './auth/LoginView.vue';
import { restoreSession, session } from './auth/session';
import InboxView from './inbox/InboxView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', redirect: '/inbox/mine' },
    {
      // The views of inbox/inbox-list.ts (`inboxViews`).
      path: '/inbox/:view(mine|unassigned|team|all|snoozed|resolved|sla)/:conversationId?',
      name: 'inbox',
      component: InboxView,
      props: true,
    },
    { path: '/:unknown(.*)*', redirect: '/inbox/mine' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) {
    // Already signed in: the login page would only be in the way.
    if (to.name === 'login' && session.user) return { path: '/inbox/mine' };
    return true;
  }
  if (await restoreSession()) return true;
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
});

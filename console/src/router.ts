// Screens of the console. Hash history: the built console works from any static file server
// (the API serves console/dist) without a fallback route for deep links.
import { watch } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import LoginView from './auth/LoginView.vue';
import { restoreSession, session } from './auth/session';
import InboxView from './inbox/InboxView.vue';

// Tickets, the knowledge base, the rules, the reports (with Chart.js) and the admin pages load on
// first visit (`() => import(…)`): the inbox, opened all day, does not carry them (nor markdown-it,
// which only the article editor needs).
const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    // Where invitation, reset and first-admin setup links land (the token is in the query, after the #).
    { path: '/set-password', name: 'setPassword', component: () => import('./auth/SetPasswordView.vue'), meta: { public: true } },
    { path: '/', redirect: '/inbox/mine' },
    {
      // The views of inbox/inbox-list.ts (`inboxViews`).
      path: '/inbox/:view(mine|unassigned|team|all|snoozed|resolved|sla)/:conversationId?',
      name: 'inbox',
      component: InboxView,
      props: true,
    },
    // Filters are in the query (tickets/ticket-list.ts), so a filtered list can be shared.
    { path: `/tickets/:ticketId(${uuid})?`, name: 'tickets', component: () => import('./tickets/TicketsView.vue'), props: true },
    // Search and page are in the query, so a search can be shared.
    { path: `/contacts/:customerId(${uuid})?`, name: 'contacts', component: () => import('./contacts/ContactsView.vue'), props: true },
    // Writing articles is for admins only (the API answers 403 to agents), so is the screen.
    {
      path: `/knowledge/:articleId(new|${uuid})?`,
      name: 'knowledge',
      component: () => import('./knowledge/KnowledgeView.vue'),
      props: true,
      meta: { admin: true },
    },
    // Changing SLA targets is for admins only (the API answers 403 to agents).
    // The admin area (admins only; children inherit the parent's meta).
    {
      path: '/admin',
      component: () => import('./admin/AdminLayout.vue'),
      meta: { admin: true },
      children: [
        { path: '', redirect: '/admin/agents' },
        { path: 'agents', name: 'adminAgents', component: () => import('./admin/AgentsView.vue') },
        { path: 'teams', name: 'adminTeams', component: () => import('./admin/TeamsHoursView.vue') },
        { path: 'sla-policies', name: 'slaPolicies', component: () => import('./admin/SlaPoliciesView.vue') },
        { path: 'channels', name: 'adminChannels', component: () => import('./admin/ChannelsView.vue') },
        { path: 'self-service', name: 'adminSelfService', component: () => import('./admin/SelfServiceView.vue') },
        { path: 'security', name: 'adminSecurity', component: () => import('./admin/SecurityView.vue') },
        { path: 'privacy', name: 'adminPrivacy', component: () => import('./admin/PrivacyView.vue') },
        { path: 'api-keys', name: 'adminApiKeys', component: () => import('./admin/ApiKeysView.vue') },
        { path: 'webhooks', name: 'adminWebhooks', component: () => import('./admin/WebhooksView.vue') },
        { path: 'bot-actions', name: 'adminBotActions', component: () => import('./admin/BotActionsView.vue') },
        { path: 'audit', name: 'adminAudit', component: () => import('./admin/AuditLogView.vue') },
      ],
    },
    // The person's own account (the header's profile menu).
    {
      path: '/account',
      component: () => import('./account/AccountLayout.vue'),
      children: [
        { path: '', redirect: '/account/password' },
        { path: 'password', name: 'accountPassword', component: () => import('./account/PasswordView.vue') },
        { path: 'two-factor', name: 'accountTwoFactor', component: () => import('./account/TwoFactorView.vue') },
        { path: 'sessions', name: 'accountSessions', component: () => import('./account/SessionsView.vue') },
        { path: 'notifications', name: 'accountNotifications', component: () => import('./account/NotificationsView.vue') },
      ],
    },
    // Automation rules change how every conversation flows: admins only (the API answers 403 to agents' writes).
    { path: `/rules/:ruleId(new|${uuid})?`, name: 'rules', component: () => import('./rules/RulesView.vue'), props: true, meta: { admin: true } },
    // The team's figures, with the admin pages (the API also answers agents, as its other reports).
    { path: '/reports', name: 'reports', component: () => import('./reports/ReportsView.vue'), meta: { admin: true } },
    // Live operations: admins and team leads (the API answers 403 to other agents; the screen says so).
    { path: '/live', name: 'live', component: () => import('./reports/LiveOpsView.vue') },
    { path: '/:unknown(.*)*', redirect: '/inbox/mine' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) {
    // Already signed in: the login page would only be in the way.
    if (to.name === 'login' && session.user) return { path: '/inbox/mine' };
    return true;
  }
  if (await restoreSession()) {
    // An admin the organisation requires two-factor sign-in of sets it up first (the API refuses all else).
    if (session.twoFactorSetupRequired) return to.name === 'accountTwoFactor' ? true : { name: 'accountTwoFactor' };
    return to.meta.admin && session.user?.role !== 'admin' ? { path: '/inbox/mine' } : true;
  }
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
});

// Met on any call (e.g. turned on while signed in): to the set-up page at once.
watch(
  () => session.twoFactorSetupRequired,
  (required) => {
    if (required && router.currentRoute.value.name !== 'accountTwoFactor') void router.replace({ name: 'accountTwoFactor' });
  },
);

// Screens of the console. Hash history: the built console works from any static file server
// (the API serves console/dist) without a fallback route for deep links.
import { createRouter, createWebHashHistory } from 'vue-router';
import LoginView from './auth/LoginView.vue';
import { restoreSession, session } from './auth/session';
import InboxView from './inbox/InboxView.vue';

// Tickets, the knowledge base and the admin pages load on first visit: the inbox, opened all day, does not carry
// them (nor markdown-it, which only the article editor needs).
const TicketsView = () => import('./tickets/TicketsView.vue');
const KnowledgeView = () => import('./knowledge/KnowledgeView.vue');
const SlaPoliciesView = () => import('./admin/SlaPoliciesView.vue');
// The admin area: one layout with its sub-navigation, each page loaded on first visit.
const AdminLayout = () => import('./admin/AdminLayout.vue');
const AgentsView = () => import('./admin/AgentsView.vue');
const TeamsHoursView = () => import('./admin/TeamsHoursView.vue');
const ChannelsView = () => import('./admin/ChannelsView.vue');
const SelfServiceView = () => import('./admin/SelfServiceView.vue');
const ApiKeysView = () => import('./admin/ApiKeysView.vue');
const AuditLogView = () => import('./admin/AuditLogView.vue');
const RulesView = () => import('./rules/RulesView.vue');
// Reports carry Chart.js: loaded only when opened.
const ReportsView = () => import('./reports/ReportsView.vue');
const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

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
    // Filters are in the query (tickets/ticket-list.ts), so a filtered list can be shared.
    { path: `/tickets/:ticketId(${uuid})?`, name: 'tickets', component: TicketsView, props: true },
    // Writing articles is for admins only (the API answers 403 to agents), so is the screen.
    { path: `/knowledge/:articleId(new|${uuid})?`, name: 'knowledge', component: KnowledgeView, props: true, meta: { admin: true } },
    // Changing SLA targets is for admins only (the API answers 403 to agents).
    // The admin area (admins only; children inherit the parent's meta).
    {
      path: '/admin',
      component: AdminLayout,
      meta: { admin: true },
      children: [
        { path: '', redirect: '/admin/agents' },
        { path: 'agents', name: 'adminAgents', component: AgentsView },
        { path: 'teams', name: 'adminTeams', component: TeamsHoursView },
        { path: 'sla-policies', name: 'slaPolicies', component: SlaPoliciesView },
        { path: 'channels', name: 'adminChannels', component: ChannelsView },
        { path: 'self-service', name: 'adminSelfService', component: SelfServiceView },
        { path: 'api-keys', name: 'adminApiKeys', component: ApiKeysView },
        { path: 'audit', name: 'adminAudit', component: AuditLogView },
      ],
    },
    // Automation rules change how every conversation flows: admins only (the API answers 403 to agents' writes).
    { path: `/rules/:ruleId(new|${uuid})?`, name: 'rules', component: RulesView, props: true, meta: { admin: true } },
    // The team's figures, with the admin pages (the API also answers agents, as its other reports).
    { path: '/reports', name: 'reports', component: ReportsView, meta: { admin: true } },
    { path: '/:unknown(.*)*', redirect: '/inbox/mine' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) {
    // Already signed in: the login page would only be in the way.
    if (to.name === 'login' && session.user) return { path: '/inbox/mine' };
    return true;
  }
  if (await restoreSession()) return to.meta.admin && session.user?.role !== 'admin' ? { path: '/inbox/mine' } : true;
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
});

// The team an admin runs (console: Admin → Team members): invitations, deactivation, reactivation,
// deletion, reset links, signing someone out everywhere (api/services/team-members.ts). And the
// public side of the one-time links, which the console's set-password page calls with the token
// from the link (api/services/password-links.ts): no session needed, the token is the proof.
import { Router, type Request } from 'express';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import { invitationBody, passwordLinkBody, usePasswordLinkBody } from '../../contract/requests/team-members.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { resolveSecurity } from '../security/security-options.js';
import { inspectPasswordLink, usePasswordLink } from '../services/password-links.js';
import {
  createResetLink,
  deactivateMember,
  deleteMember,
  inviteMember,
  listTeamMembers,
  reactivateMember,
  resendInvitation,
  revokeInvitation,
  signOutEverywhere,
} from '../services/team-members.js';
import { setPresence, toUserView } from '../services/user-service.js';
import { parse } from '../validate.js';

/** Links and the sessions they open must not stay in a browser's or a proxy's cache. */
const noStore = { 'Cache-Control': 'no-store' };

export function teamMemberRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { publicUrl } = resolveSecurity(deps.security);
  /** Where links point: PUBLIC_URL, else the address the admin's console called us at. */
  const baseUrl = (req: Request) => publicUrl ?? `${req.protocol}://${req.get('host')}`;
  /** An admin's action on one member by id, with an empty body. */
  const action = (req: Request, res: Parameters<typeof requireAdmin>[0]) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    parse(emptyBody, req.body ?? {});
    return { adminId: admin.userId, id };
  };

  router.get('/api/team-members', async (_req, res) => {
    requireAdmin(res);
    res.json(await listTeamMembers(deps.db));
  });

  router.post('/api/team-members/invitations', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(invitationBody, req.body ?? {});
    res.set(noStore);
    res.status(201).json(await inviteMember(deps, admin.userId, input, baseUrl(req)));
  });

  router.post('/api/team-members/invitations/:id/resend', async (req, res) => {
    const { adminId, id } = action(req, res);
    res.set(noStore);
    res.json(await resendInvitation(deps, adminId, id, baseUrl(req)));
  });

  router.delete('/api/team-members/invitations/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await revokeInvitation(deps.db, admin.userId, id);
    res.status(204).end();
  });

  router.post('/api/team-members/:id/deactivate', async (req, res) => {
    const { adminId, id } = action(req, res);
    res.json({ member: await deactivateMember(deps, adminId, id) });
  });

  router.post('/api/team-members/:id/reactivate', async (req, res) => {
    const { adminId, id } = action(req, res);
    res.json({ member: await reactivateMember(deps.db, adminId, id) });
  });

  router.delete('/api/team-members/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await deleteMember(deps, admin.userId, id);
    res.status(204).end();
  });

  router.post('/api/team-members/:id/reset-link', async (req, res) => {
    const { adminId, id } = action(req, res);
    res.set(noStore);
    res.json(await createResetLink(deps, adminId, id, baseUrl(req)));
  });

  router.post('/api/team-members/:id/sign-out-everywhere', async (req, res) => {
    const { adminId, id } = action(req, res);
    res.json(await signOutEverywhere(deps.db, adminId, id));
  });

  // Public: the token is in the body, never in a URL a log could keep.
  router.post('/api/auth/password-link', async (req, res) => {
    res.set(noStore);
    const { token } = parse(passwordLinkBody, req.body ?? {});
    res.json({ link: await inspectPasswordLink(deps.db, token) });
  });

  router.post('/api/auth/password-link/use', async (req, res) => {
    res.set(noStore);
    const input = parse(usePasswordLinkBody, req.body ?? {});
    const { user, session } = await usePasswordLink(deps.db, input, { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null });
    // Signed in, as after POST /api/auth/login: an agent comes online.
    const current = user.presence === 'offline' ? await setPresence(deps, user.id, 'online') : user;
    res.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView(current) });
  });

  return router;
}

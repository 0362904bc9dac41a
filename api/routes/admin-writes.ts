// The shape most admin-managed records share (business hours, canned responses, teams, SLA
// policies, channels, agents, rules, API keys): an admin creates, changes or deletes one by id, the body is
// validated first, and the answer names the record under one field. Each helper mounts one such
// route, so a resource's routes file lists only what differs: its schemas, services and
// whatever must follow a change.
import type { Router } from 'express';
import type { z } from 'zod';
import { idParams } from '../../contract/requests/common.js';
import { requireAdmin, requireUser } from '../authentication.js';
import { parse } from '../validate.js';

/** Who may read: every signed-in user (the console shows it to agents too) or admins only. */
export type Readers = 'users' | 'admins';

/** GET `path`: `{ [field]: read() }` (a list, or a settings record). */
export function readRoute(router: Router, path: string, readers: Readers, field: string, read: () => Promise<unknown>): void {
  router.get(path, async (_req, res) => {
    if (readers === 'admins') requireAdmin(res);
    else requireUser(res);
    res.json({ [field]: await read() });
  });
}

/** POST `path`: an admin creates one from the validated body; 201 `{ [field]: created }`. */
export function createRoute<Body extends z.ZodType>(
  router: Router,
  path: string,
  body: Body,
  field: string,
  create: (adminId: string, input: z.infer<Body>) => Promise<unknown>,
): void {
  router.post(path, async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(body, req.body);
    res.status(201).json({ [field]: await create(admin.userId, input) });
  });
}

/** PATCH `path/:id`: an admin changes one (a missing body changes nothing); `{ [field]: changed }`. */
export function updateRoute<Body extends z.ZodType>(
  router: Router,
  path: string,
  body: Body,
  field: string,
  update: (adminId: string, id: string, changes: z.infer<Body>) => Promise<unknown>,
): void {
  router.patch(`${path}/:id`, async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const changes = parse(body, req.body ?? {});
    res.json({ [field]: await update(admin.userId, id, changes) });
  });
}

/** DELETE `path/:id`: an admin deletes (or revokes) one; 204. */
export function deleteRoute(router: Router, path: string, remove: (adminId: string, id: string) => Promise<unknown>): void {
  router.delete(`${path}/:id`, async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await remove(admin.userId, id);
    res.status(204).end();
  });
}

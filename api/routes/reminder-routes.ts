// Agent reminders (issue 22): a person's own reminders on conversations they may see; a conversation
// they may not see, or a reminder that is not theirs (unless they are an admin), is 404. And the
// visitor's "Call me back" in the widget (issue 24), on their own conversation only.
import { Router } from 'express';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import { requestCallbackBody, scheduleCallbackBody, setReminderBody } from '../../contract/requests/reminders.js';
import { requireCustomer, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { cancelReminder, myReminders, requestCallback, scheduleCallback, setReminder } from '../services/reminder-service.js';
import { parse } from '../validate.js';

export function reminderRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/conversations/:id/reminders', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ reminders: await myReminders(deps, viewer, id) });
  });

  router.post('/api/conversations/:id/reminders', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(setReminderBody, req.body);
    res.status(201).json({ reminder: await setReminder(deps, viewer, id, input) });
  });

  // A call-back of the customer (issue 24), e.g. after a missed call: the caller is prompted to call them then.
  router.post('/api/conversations/:id/callbacks', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(scheduleCallbackBody, req.body);
    res.status(201).json({ callback: await scheduleCallback(deps, viewer, id, input) });
  });

  // The visitor asks to be called back (issue 24): the assignee's call-back (reminder-service.ts requestCallback).
  router.post('/api/widget/conversations/:id/callbacks', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { id } = parse(idParams, req.params, 'path');
    const input = parse(requestCallbackBody, req.body ?? {});
    res.status(201).json({ callback: await requestCallback(deps, customerId, id, input) });
  });

  router.get('/api/reminders', async (req, res) => {
    const viewer = requireUser(res);
    parse(emptyBody, req.query, 'query');
    res.json({ reminders: await myReminders(deps, viewer) });
  });

  router.post('/api/reminders/:id/cancel', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    parse(emptyBody, req.body ?? {});
    res.json({ reminder: await cancelReminder(deps, viewer, id) });
  });

  return router;
}

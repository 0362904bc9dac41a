// A contact's data rights, admins only (the export holds personal data, the erasure destroys it):
// - GET /api/customers/:id/export: a zip download (profile, conversations with messages, tickets,
//   events, CSAT, the files and the raw emails; README.txt inside) or, with ?format=json, the JSON
//   document alone. Audited (`customer.exported`, counts only).
// - POST /api/customers/:id/erase `{ confirm }`: the contact's name or ERASE; 400
//   `confirmation_mismatch` otherwise, nothing erased. Audited (`customer.erased`, counts only).
// api/services/data-rights/ does the work; docs/DATA-RIGHTS.md says what is erased and what stays.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { customerEraseBody, customerExportQuery, erasureConfirmed } from '../../contract/requests/data-rights.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, notFound } from '../http-error.js';
import { contentDisposition, resolveAttachmentSettings } from '../services/attachments.js';
import { eraseCustomer } from '../services/data-rights/customer-erasure.js';
import { exportCustomerJson, exportCustomerZip } from '../services/data-rights/customer-export.js';
import { parse } from '../validate.js';

export function dataRightsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const store = () => resolveAttachmentSettings(deps.attachments).store;

  router.get('/api/customers/:id/export', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const { format } = parse(customerExportQuery, req.query, 'query');
    const input = { customerId: id, adminId: admin.userId };
    if (format === 'json') {
      res.json({ export: await exportCustomerJson({ db: deps.db, store: store() }, input) });
      return;
    }
    try {
      await exportCustomerZip({ db: deps.db, store: store() }, input, () => {
        res.status(200);
        res.set('Content-Type', 'application/zip');
        res.set('Cache-Control', 'no-store');
        res.set('Content-Disposition', contentDisposition('attachment', `contact-${id}.zip`));
        return res;
      });
    } catch (error) {
      // Once the zip has started there is no error body to send: the download is cut short.
      if (!res.headersSent) throw error;
      deps.log(`export of customer ${id} failed while streaming`, error);
      res.destroy();
    }
  });

  router.post('/api/customers/:id/erase', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const { confirm } = parse(customerEraseBody, req.body ?? {});
    const customer = await deps.db.customer.findUnique({ where: { id }, select: { name: true } });
    if (!customer) throw notFound('Customer');
    if (!erasureConfirmed(confirm, customer.name)) {
      throw badRequest('confirmation_mismatch', 'Type the contact’s name exactly as shown, or ERASE, to confirm the erasure.');
    }
    const result = await eraseCustomer({ db: deps.db, temporal: deps.temporal, store: store(), log: deps.log }, { customerId: id, adminId: admin.userId });
    res.json({ erasure: result });
  });

  return router;
}

// Files in conversations (api/services/attachments.ts): upload (the raw file as the body), then
// send a message naming it in `attachmentIds`; download, authorised like the message it belongs
// to. The caller is checked before a byte of the body is read.
// - POST /api/conversations/:id/attachments: an agent or admin who may see the conversation.
// - POST /api/widget/conversations/:id/attachments: the visitor of that conversation only.
// - GET /api/attachments/:id: whoever may read the conversation's messages (agents who see it,
//   admins, keys with conversations:read).
// - GET /api/widget/attachments/:id: the visitor, for their conversation's public messages (and
//   their own uploads not sent yet, and their calls' recordings when the organisation shares
//   them: privacy settings); anyone else 404.
// The body is the file itself, any Content-Type but multipart (the type is sniffed, never taken
// from the client); its name in `X-File-Name` (URI-encoded, as encodeURIComponent writes it, so
// any language fits in a header) or `?name=`.
import { Router, type Request, type Response } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { attachmentNameQuery } from '../../contract/requests/conversations.js';
import { isInlineSafe } from '../../infra/attachments/sniff.js';
import { requireCustomer, requireScope, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findOwnConversation } from '../finders/conversation-finder.js';
import { HttpError, notFound } from '../http-error.js';
import {
  contentDisposition,
  customerMayDownload,
  findAttachment,
  resolveAttachmentSettings,
  uploadAttachment,
  type AttachmentRow,
  type Uploader,
} from '../services/attachments.js';
import { visibleConversation } from '../services/conversation-service.js';
import { readPrivacySettings } from '../services/settings-service.js';
import { parse } from '../validate.js';

/** The client's file name: `X-File-Name` (URI-encoded; taken as it is when it does not decode) or `?name=`. */
function fileNameOf(req: Request): string | null {
  const header = req.get('x-file-name');
  if (header) {
    try {
      return decodeURIComponent(header);
    } catch {
      return header;
    }
  }
  return parse(attachmentNameQuery, req.query, 'query').name ?? null;
}

/**
 * Receives a file sent as the body (an upload, a call's recording) once its sender was authorised:
 * refuses a multipart or JSON body (415) and a declared length over `maxBytes` (413) before
 * reading a byte, then stores it through `store` (given the client's file name) and answers 201
 * `{ attachment }`; a refusal mid-stream closes the connection (the rest of the upload is dropped).
 */
export async function receiveUpload(req: Request, res: Response, maxBytes: number, store: (fileName: string | null) => Promise<unknown>): Promise<void> {
  const type = req.get('content-type') ?? '';
  // express.json() reads application/json bodies itself: a file must come as other bytes.
  if (/^multipart\//i.test(type) || req.readableEnded) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Send the file itself as the body (application/octet-stream or its own type, not JSON or a multipart form), its name in X-File-Name or ?name=.',
    );
  }
  // A declared length over the limit is refused before reading anything.
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.set('Connection', 'close');
    throw new HttpError(413, 'attachment_too_large', `The file is too large: at most ${maxBytes} bytes are accepted.`);
  }
  try {
    res.status(201).json({ attachment: await store(fileNameOf(req)) });
  } catch (error) {
    // Refused mid-stream: say so and drop the rest of the upload.
    if (!req.readableEnded) res.set('Connection', 'close');
    throw error;
  }
}

export function attachmentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const settings = resolveAttachmentSettings(deps.attachments);

  /** Streams the body into the store; the caller was authorised already. */
  const upload = (req: Request, res: Response, conversationId: string, uploader: Uploader) =>
    receiveUpload(req, res, settings.maxUploadBytes, (fileName) => uploadAttachment(deps.db, settings, { conversationId, uploader, fileName, content: req }));

  router.post('/api/conversations/:id/attachments', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(deps.db, viewer, parse(idParams, req.params, 'path').id);
    await upload(req, res, conversation.id, { kind: 'user', id: viewer.userId });
  });

  router.post('/api/widget/conversations/:id/attachments', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const { id } = parse(idParams, req.params, 'path');
    const conversation = await findOwnConversation(deps.db, customerId, id);
    if (!conversation) throw notFound('Conversation');
    await upload(req, res, conversation.id, { kind: 'customer', id: customerId });
  });

  const download = async (res: Response, row: AttachmentRow) => {
    const stream = await settings.store.stream(row.storageKey);
    if (!stream) throw notFound('Attachment');
    res.set({
      'Content-Type': row.contentType,
      'Content-Length': String(row.size),
      'Content-Disposition': contentDisposition(isInlineSafe(row.contentType) ? 'inline' : 'attachment', row.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
      // Whatever the file is, it runs nothing when opened from this origin.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    });
    stream.on('error', (error) => {
      deps.log(`attachment ${row.id}: reading the store failed`, error);
      res.destroy();
    });
    stream.pipe(res);
  };

  router.get('/api/attachments/:id', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const row = await findAttachment(deps.db, parse(idParams, req.params, 'path').id);
    if (!row) throw notFound('Attachment');
    // 404 for a conversation the caller may not see: whether the file exists is not revealed.
    await visibleConversation(deps.db, viewer, row.conversationId).catch((error: unknown) => {
      throw error instanceof HttpError && error.status === 404 ? notFound('Attachment') : error;
    });
    await download(res, row);
  });

  router.get('/api/widget/attachments/:id', async (req, res) => {
    const { customerId } = requireCustomer(res);
    const row = await findAttachment(deps.db, parse(idParams, req.params, 'path').id);
    const shares = row?.callId ? (await readPrivacySettings(deps.db)).customerSeesCallRecordings : false;
    if (!row || !customerMayDownload(row, customerId, shares)) throw notFound('Attachment');
    await download(res, row);
  });

  return router;
}

// Files sent with a message (api/README.md, "Attachments"): uploaded first, each on its own
// (the raw file as the body, its name URI-encoded in X-File-Name), then named in the message's
// `attachmentIds`. Used by the widget and the console's reply box; downloads need the token, so
// they are fetched and handed over as a data: URL (images: the CSP's img-src is 'self' data:) or
// saved through a short-lived blob: URL (other files).
import type { MessageAttachmentView } from '../../../contract/views';
import type { MessageKey } from '../i18n/messages-en';
import { ApiError, toApiError } from './http';

export type { MessageAttachmentView };

/** What the file picker offers: what a visitor may send (images, PDF, text, office files). */
export const attachmentAccept = [
  'image/*',
  'application/pdf',
  'text/plain',
  'text/csv',
  '.txt',
  '.csv',
  '.rtf',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.odt',
  '.ods',
  '.odp',
].join(',');

/** Raster images are shown as thumbnails; anything else is a download. */
export function isImageType(contentType: string): boolean {
  return /^image\/(png|jpeg|gif|webp|bmp)$/i.test(contentType.split(';')[0]!.trim());
}

/** A file size for people: 512 B, 1.5 KB, 2.3 MB. */
export function formatFileSize(bytes: number, locale = 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** The text for a refused upload: too large, a type not accepted, empty; null → the generic wording. */
export function uploadErrorKey(cause: unknown): MessageKey | null {
  if (!(cause instanceof ApiError)) return null;
  if (cause.status === 413) return 'attachments.tooLarge';
  if (cause.status === 415) return 'attachments.typeRefused';
  if (cause.code === 'attachment_empty') return 'attachments.empty';
  if (cause.status === 0) return 'error.network';
  return null;
}

export type UploadProgress = (fraction: number) => void;
export type UploadFile = (file: File, onProgress: UploadProgress, signal: AbortSignal) => Promise<MessageAttachmentView>;

/**
 * POSTs one file with XMLHttpRequest (fetch cannot report an upload's progress); answers the
 * stored attachment, or throws the server's error as an ApiError (status 0: never reached it).
 */
export function uploadAttachment(
  path: string,
  token: string | null,
  file: File,
  onProgress: UploadProgress,
  signal: AbortSignal,
): Promise<MessageAttachmentView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    // Never JSON or multipart (the server reads those itself); the type is sniffed from the bytes anyway.
    const type = file.type && !/json|multipart/i.test(file.type) ? file.type : 'application/octet-stream';
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name || 'file'));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && typeof body === 'object' && body !== null && 'attachment' in body) {
        resolve((body as { attachment: MessageAttachmentView }).attachment);
      } else reject(toApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The server could not be reached.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** GETs an attachment with the token; throws an ApiError when it cannot be read. */
export async function fetchAttachment(path: string, token: string | null): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
  return response.blob();
}

/** A blob (a picked file, a downloaded image) as a data: URL, for an <img> under img-src 'self' data:. */
export function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/** Saves a downloaded file under its name through a blob: URL, revoked once the browser took it. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A message's text is required (the API): a message of files alone says their names. Whitespace
 * only counts as no text.
 */
export function messageBodyFor(text: string, files: readonly { name: string; attachment: { id: string } | null }[]): string {
  const trimmed = text.trim();
  if (trimmed) return trimmed;
  return files
    .filter((f) => f.attachment)
    .map((f) => f.name)
    .join(', ');
}

/** The files of a paste (a screenshot copied to the clipboard); none for pasted text. */
export function pastedFiles(event: Pick<ClipboardEvent, 'clipboardData'>): File[] {
  return [...(event.clipboardData?.files ?? [])];
}

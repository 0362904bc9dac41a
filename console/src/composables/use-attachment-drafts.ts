// The files picked for a message not yet sent (widget and reply box): each is uploaded at once,
// shown as a chip with its progress, then its thumbnail (images) or name and size, removable
// until the message is sent with `ids`. A refused upload (413 too large, 415 type refused, 400
// empty) drops its chip and says why in `error`.
import { computed, ref, type ComputedRef, type Ref } from 'vue';
import type { Translate } from '../i18n/create-i18n';
import { errorText } from '../shared/error-text';
import { isImageType, readAsDataUrl, uploadErrorKey, type MessageAttachmentView, type UploadFile } from '../shared/attachments';

/** The API takes at most this many files per message (`attachmentIds`). */
export const maxAttachments = 20;
/** Local previews of larger images are skipped (a data: URL that size would weigh on the page). */
const maxPreviewBytes = 5 * 1024 * 1024;

export interface AttachmentDraft {
  key: number;
  name: string;
  size: number;
  image: boolean;
  /** A data: URL of the picked image, once read. */
  preview: string | null;
  /** 0..1 while uploading. */
  progress: number;
  /** The stored attachment, once uploaded. */
  attachment: MessageAttachmentView | null;
}

export interface AttachmentDrafts {
  drafts: Ref<AttachmentDraft[]>;
  error: Ref<string | null>;
  /** Any file still uploading: the message waits. */
  uploading: ComputedRef<boolean>;
  /** The uploaded files' ids, in the order picked. */
  ids: ComputedRef<string[]>;
  add(files: Iterable<File>): Promise<void>;
  remove(key: number): void;
  /** After the message was sent (or the conversation changed): no chips, uploads under way cancelled. */
  clear(): void;
}

export function useAttachmentDrafts(upload: () => UploadFile | null, t: Translate): AttachmentDrafts {
  const drafts = ref<AttachmentDraft[]>([]);
  const error = ref<string | null>(null);
  const controllers = new Map<number, AbortController>();
  let nextKey = 1;

  const uploading = computed(() => drafts.value.some((d) => d.attachment === null));
  const ids = computed(() => drafts.value.flatMap((d) => (d.attachment ? [d.attachment.id] : [])));

  function update(key: number, change: Partial<AttachmentDraft>) {
    drafts.value = drafts.value.map((d) => (d.key === key ? { ...d, ...change } : d));
  }

  async function addOne(file: File): Promise<void> {
    const send = upload();
    if (!send) return;
    const key = nextKey++;
    const image = isImageType(file.type);
    drafts.value = [...drafts.value, { key, name: file.name, size: file.size, image, preview: null, progress: 0, attachment: null }];
    if (image && file.size <= maxPreviewBytes) {
      void readAsDataUrl(file)
        .then((preview) => update(key, { preview }))
        .catch(() => {});
    }
    const controller = new AbortController();
    controllers.set(key, controller);
    try {
      const attachment = await send(file, (progress) => update(key, { progress }), controller.signal);
      if (controllers.has(key)) update(key, { attachment, progress: 1 });
    } catch (cause) {
      if (!controllers.has(key)) return; // removed or cleared meanwhile
      drafts.value = drafts.value.filter((d) => d.key !== key);
      const known = uploadErrorKey(cause);
      error.value = known ? t(known, { name: file.name }) : t('attachments.failed', { name: file.name, message: errorText(cause, t) });
    } finally {
      controllers.delete(key);
    }
  }

  async function add(files: Iterable<File>): Promise<void> {
    error.value = null;
    const picked = [...files];
    const room = maxAttachments - drafts.value.length;
    if (picked.length > room) error.value = t('attachments.tooMany', { count: maxAttachments }, maxAttachments);
    await Promise.all(picked.slice(0, Math.max(0, room)).map(addOne));
  }

  function remove(key: number) {
    controllers.get(key)?.abort();
    controllers.delete(key);
    drafts.value = drafts.value.filter((d) => d.key !== key);
  }

  function clear() {
    for (const controller of controllers.values()) controller.abort();
    controllers.clear();
    drafts.value = [];
    error.value = null;
  }

  return { drafts, error, uploading, ids, add, remove, clear };
}

// The contact profile's form as pure functions: the form made from a profile, the PATCH body of
// only what changed (custom attribute values typed by their definition), the names shown.
import type { CustomerAttributeDefinitionView, CustomerListItem, CustomerProfileView } from '../../../contract/customer-views';
import type { CustomerProfileInput } from '../../../contract/requests/customers';
import type { Translate } from '../i18n/create-i18n';
import { shortCustomerId } from '../inbox/inbox-list';

/** What the form's inputs hold: text as typed, tags as one comma-separated line. */
export interface ContactForm {
  name: string;
  email: string;
  phone: string;
  company: string;
  locale: string;
  vip: boolean;
  tags: string;
  notes: string;
  /** By key: text as typed ('' for none), a checkbox's boolean. */
  attributes: Record<string, string | boolean>;
}

export function formOf(profile: CustomerProfileView, definitions: readonly CustomerAttributeDefinitionView[]): ContactForm {
  const attributes: ContactForm['attributes'] = {};
  for (const definition of definitions) {
    const value = profile.attributes[definition.key];
    attributes[definition.key] = definition.type === 'boolean' ? value === true : value === null || value === undefined ? '' : String(value);
  }
  return {
    name: profile.name ?? '',
    email: profile.email ?? '',
    phone: profile.phone ?? '',
    company: profile.company ?? '',
    locale: profile.locale ?? '',
    vip: profile.vip,
    tags: profile.tags.join(', '),
    notes: profile.notes ?? '',
    attributes,
  };
}

/** Tags typed as "a, b，c": split on commas (either width), trimmed, each once. */
export const tagsOf = (line: string) => [...new Set(line.split(/[,，]/).map((tag) => tag.trim()))].filter((tag) => tag !== '');

/** The PATCH body: the fields that differ from the profile ('' clears); null when nothing changed. */
export function changesOf(
  profile: CustomerProfileView,
  form: ContactForm,
  definitions: readonly CustomerAttributeDefinitionView[],
): CustomerProfileInput | null {
  const changes: Record<string, unknown> = {};
  for (const field of ['name', 'email', 'phone', 'company', 'locale', 'notes'] as const) {
    const value = form[field].trim();
    if (value !== (profile[field] ?? '')) changes[field] = value;
  }
  if (form.vip !== profile.vip) changes.vip = form.vip;
  const tags = tagsOf(form.tags);
  if (tags.join('\n') !== profile.tags.join('\n')) changes.tags = tags;
  const attributes: Record<string, string | number | boolean | null> = {};
  for (const definition of definitions) {
    const typed = form.attributes[definition.key];
    const stored = profile.attributes[definition.key] ?? null;
    let value: string | number | boolean | null;
    if (definition.type === 'boolean') value = typed === true;
    else if (typeof typed !== 'string' || typed.trim() === '') value = null;
    // A number that does not parse goes as typed: the server names the field it refuses.
    else if (definition.type === 'number') value = Number.isFinite(Number(typed)) ? Number(typed) : typed.trim();
    else value = typed.trim();
    if (definition.type === 'boolean' && stored === null && value === false) continue;
    if (value !== stored) attributes[definition.key] = value;
  }
  if (Object.keys(attributes).length > 0) changes.attributes = attributes;
  return Object.keys(changes).length > 0 ? (changes as CustomerProfileInput) : null;
}

/** A custom attribute's label in the console's language (Chinese for zh-CN and zh-TW). */
export const attributeLabel = (definition: CustomerAttributeDefinitionView, locale: string) =>
  locale.startsWith('zh') ? definition.labelZh : definition.labelEn;

/** How a contact is named: their name, else their email, else "Visitor" and the start of their id. */
export function contactName(contact: Pick<CustomerListItem, 'id' | 'name' | 'email'>, t: Translate): string {
  return contact.name || contact.email || t('inbox.visitorShort', { id: shortCustomerId(contact.id) });
}

// Contacts as the API sends them (api/finders/customer-finder.ts): a row of the Contacts list, a
// profile with the contact's conversations and tickets, and the custom attribute definitions.
import type { CustomerAttributeType } from './requests/customers.js';
import type { ConversationView, TicketView } from './views.js';

/** A row of GET /api/customers. */
export interface CustomerListItem {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  vip: boolean;
  tags: string[];
  lastSeenAt: string | null;
  createdAt: string;
  conversationCount: number;
}

/** GET /api/customers: one page, newest seen first, and how many match in all. */
export interface CustomerPage {
  customers: CustomerListItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/customers/:id: the profile, with what the viewer may see of their conversations and tickets. */
export interface CustomerProfileView extends CustomerListItem {
  locale: string | null;
  /** The visitor's IANA time zone as the widget last reported it; null until then. */
  timeZone: string | null;
  /** Agents' internal notes: never shown to the contact. */
  notes: string | null;
  /** The host site's user id (a verified widget identify), read-only here. */
  externalId: string | null;
  /** Custom attribute values by key (CustomerAttributeDefinitionView). */
  attributes: Record<string, string | number | boolean | null>;
  ticketCount: number;
  conversations: ConversationView[];
  tickets: TicketView[];
}

/** A custom attribute of contacts (GET /api/customer-attributes). */
export interface CustomerAttributeDefinitionView {
  key: string;
  labelEn: string;
  labelZh: string;
  type: CustomerAttributeType;
  options: string[];
}

/** POST /api/customers/:id/merge: the survivor's profile and what moved. */
export interface CustomerMergeView {
  customer: CustomerProfileView;
  moved: { conversations: number; tickets: number; messages: number; events: number; attachments: number };
  filled: string[];
}

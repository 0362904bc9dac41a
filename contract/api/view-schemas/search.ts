// GET /api/search: conversations and tickets with where each matched (contract/search.ts).
import { z } from 'zod';
import { searchFields, type SearchMatch, type SearchResults } from '../../search.js';
import { conversationViewSchema, ticketViewSchema } from './conversations.js';
import { id, tied } from './support.js';

const searchMatchSchema = tied<SearchMatch>()(
  'SearchMatch',
  z.strictObject({
    field: z.enum(searchFields),
    messageId: id.nullable(),
    text: z.string(),
    highlights: z.array(z.strictObject({ start: z.int(), end: z.int() })),
  }),
);

export const searchResultsSchema = tied<SearchResults>()(
  'SearchResults',
  z.strictObject({
    conversations: z.array(z.strictObject({ conversation: conversationViewSchema, match: searchMatchSchema.nullable() })),
    tickets: z.array(z.strictObject({ ticket: ticketViewSchema, match: searchMatchSchema.nullable() })),
    nextCursor: z.string().nullable(),
  }),
);

// The API's answers as zod schemas, by area, for the OpenAPI document and the tests that check
// what the API sends (contract/api/README.md).
export { errorBodySchema } from './support.js';
export * from './conversations.js';
export * from './admin.js';
export * from './knowledge.js';
export * from './account.js';
export * from './customers.js';
export * from './reports.js';
export * from './settings.js';
export * from './calls.js';
export * from './rules.js';
export * from './search.js';
export * from './what-if.js';
export * from './reminders.js';

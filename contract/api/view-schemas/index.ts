// The API's answers as zod schemas, by area, for the OpenAPI document and the tests that check
// what the API sends (contract/api/README.md).
export { errorBodySchema } from './support.js';
export * from './conversations.js';
export * from './admin.js';
export * from './knowledge.js';
export * from './search.js';

// A Temporal namespace of each test file's own. Files share one dev server, and workflow ids
// derived from seeded rows (an agent's `agent-<userId>`) are the same in every file's cloned
// database: in one namespace, one file's signal would reach the workflow another file started.
import { randomUUID } from 'node:crypto';
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { searchAttributeNames } from '../../domain/search-attributes.js';
import { waitUntil } from './wait-until.js';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const keywordType = 2;

export async function createTestNamespace(connection: Connection): Promise<string> {
  const namespace = `test-${randomUUID()}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  // Search attributes are per namespace: the dev server registered ours for `default` only.
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.values(searchAttributeNames).map((name) => [name, keywordType])),
  });
  // Registration reaches the server's namespace cache shortly after it returns.
  await waitUntil(async () => {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    } catch {
      return null;
    }
  });
  return namespace;
}

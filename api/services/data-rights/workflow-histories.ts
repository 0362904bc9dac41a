// A contact's workflow histories hold their words: a conversation's workflow receives message
// texts in activity inputs and results (classification, the bot's answer, the hand-off summary),
// a ticket's its subject, an email delivery's the addresses. Erasing the contact deletes these
// histories with Temporal's DeleteWorkflowExecution — every run of the id (a conversation that
// continued as new has several), a running one terminated by the deletion itself — so nothing is
// left to read in Temporal, its Web UI or its visibility store. Deletion is asynchronous on the
// server: describe answers NOT_FOUND once it is done (data-rights.integration-test.ts waits for it).
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';

/** gRPC NOT_FOUND: the workflow (or that run) does not exist, or no longer. */
const notFound = 5;

export interface HistoryDeletion {
  /** Runs whose deletion Temporal accepted. */
  deleted: number;
  /** Workflow ids with nothing to delete (never started, or deleted by an earlier erasure). */
  absent: number;
  /** Workflow ids Temporal could not be asked about (away, refused): erasing again retries them. */
  failed: string[];
}

const isNotFound = (error: unknown) => error instanceof WorkflowNotFoundError || (isGrpcServiceError(error) && error.code === notFound);

/** The run ids of a workflow id: the latest (describe) and every other one visibility lists. */
async function runsOf(temporal: Client, workflowId: string): Promise<string[]> {
  const runs = new Set<string>();
  try {
    const latest = await temporal.workflow.getHandle(workflowId).describe();
    runs.add(latest.runId);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, '')}'` })) {
    runs.add(execution.runId);
  }
  return [...runs];
}

/** Deletes every run of each workflow id; never throws (what failed is returned). */
export async function deleteWorkflowHistories(
  temporal: Client,
  workflowIds: readonly string[],
  log: (message: string, error?: unknown) => void,
): Promise<HistoryDeletion> {
  const result: HistoryDeletion = { deleted: 0, absent: 0, failed: [] };
  const namespace = temporal.options.namespace;
  for (const workflowId of workflowIds) {
    try {
      const runs = await runsOf(temporal, workflowId);
      if (runs.length === 0) {
        result.absent += 1;
        continue;
      }
      for (const runId of runs) {
        try {
          await temporal.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId } });
          result.deleted += 1;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    } catch (error) {
      log(`could not delete the history of ${workflowId}`, error);
      result.failed.push(workflowId);
    }
  }
  return result;
}

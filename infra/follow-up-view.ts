// A FollowUp row as the API and its events show it (contract/follow-ups.ts).
import type { FollowUpEndReason, FollowUpStep, FollowUpView } from '../contract/follow-ups.js';
import { followUpStepDueAt } from '../domain/follow-ups.js';
import type { FollowUp } from '../prisma/generated/client.js';

export const followUpStepsOf = (row: FollowUp): FollowUpStep[] => row.steps as unknown as FollowUpStep[];

export function toFollowUpView(row: FollowUp): FollowUpView {
  const steps = followUpStepsOf(row);
  return {
    id: row.id,
    conversationId: row.conversationId,
    authorId: row.authorId,
    ruleId: row.ruleId,
    steps,
    status: row.status,
    sentSteps: row.sentSteps,
    nextStepAt: row.status === 'active' ? (followUpStepDueAt(steps, row.sentSteps, row.waitFrom)?.toISOString() ?? null) : null,
    endReason: row.endReason as FollowUpEndReason | null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

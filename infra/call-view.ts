// A Call row (prisma/schema.prisma) as the API sends it and call events carry it (contract/calls.ts).
import type { CallView } from '../contract/calls.js';
import { callIsRecording, secondsBetween } from '../domain/calls.js';
import type { Call } from '../prisma/generated/client.js';

export function toCallView(row: Call): CallView {
  const settledAt = row.answeredAt ?? (row.status === 'missed' || row.status === 'declined' ? row.endedAt : null);
  return {
    id: row.id,
    conversationId: row.conversationId,
    media: row.media,
    status: row.status,
    requestedBy: row.requestedBy === 'customer' ? 'customer' : 'agent',
    agentId: row.agentId,
    createdAt: row.createdAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    durationSeconds: row.answeredAt && row.endedAt ? secondsBetween(row.answeredAt, row.endedAt) : null,
    waitSeconds: secondsBetween(row.createdAt, settledAt),
    recording: { customerConsent: row.customerConsentAt !== null, agentConsent: row.agentConsentAt !== null, active: callIsRecording(row) },
  };
}

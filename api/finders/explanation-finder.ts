// The decisions about one conversation that recorded why (domain/explanation.ts), as the reader
// may see them: another team's load only for readers who may see that team (docs/PERMISSIONS.md,
// "Explanations"). The caller has checked that the reader may see the conversation.
import type { ExplanationView } from '../../contract/explanations.js';
import { describeExplanation, explanationFor, explanationLanguages, explanationOf, type Explanation } from '../../domain/explanation.js';
import type { StaffViewer } from '../../domain/visibility.js';
import type { Db } from '../../infra/db.js';
import { visibleEvents } from '../../infra/event-log.js';

/** The event types whose payload may carry an explanation. */
export const explainedEventTypes = ['conversation.assigned', 'routing.queued', 'sla.escalated', 'bot.answered', 'bot.declined', 'rule.matched'];

/** Explanations one answer holds at most, oldest first (a conversation's decisions are few). */
export const explanationsLimit = 200;

/** Whether the reader may see the load of an agent of this team: admins and integrations always, an agent their own team's (and their own). */
function loadVisibleTo(viewer: StaffViewer) {
  if (viewer.kind === 'integration' || viewer.role === 'admin') return () => true;
  return (teamId: string | null, agentId: string) => agentId === viewer.userId || (teamId !== null && teamId === viewer.teamId);
}

export async function findExplanations(db: Db, viewer: StaffViewer, conversationId: string): Promise<ExplanationView[]> {
  const rows = await db.event.findMany({
    where: { conversationId, type: { in: explainedEventTypes } },
    orderBy: { id: 'asc' },
    take: explanationsLimit,
  });
  const maySee = loadVisibleTo(viewer);
  const explained = (await visibleEvents(db, viewer, rows)).flatMap((row) => {
    const stored = explanationOf(row.payload);
    return stored ? [{ row, explanation: explanationFor(stored, maySee) }] : [];
  });
  const agentIds = [...new Set(explained.flatMap(({ explanation }) => agentsOf(explanation)))];
  const users = agentIds.length ? await db.user.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  const nameOf = (id: string) => names.get(id) ?? id.slice(0, 8);
  return explained.map(({ row, explanation }) => ({
    eventId: String(row.id),
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    explanation,
    names: Object.fromEntries(agentsOf(explanation).map((id) => [id, nameOf(id)])),
    text: Object.fromEntries(explanationLanguages.map((language) => [language, describeExplanation(explanation, nameOf, language)])) as ExplanationView['text'],
  }));
}

const agentsOf = (explanation: Explanation): string[] => (explanation.kind === 'routing' ? explanation.candidates.map((candidate) => candidate.agentId) : []);

// Activities of the conversation workflow: every database write it asks for, each in one
// transaction with its event-log entry. Deciding (findAssignee) is separate from writing
// (assignConversation), and writes are safe to retry.
import { ApplicationFailure } from '@temporalio/common';
import { classifyMessage, skillOf } from '../domain/classification.js';
import { seatHoldingStatuses, statusAfterAssignment } from '../domain/conversation-lifecycle.js';
import { eventTypes, isEventType } from '../domain/events.js';
import { explainRouting, explanationOf, sameRoutingReasons, type EscalationExplanation, type RoutingExplanation } from '../domain/explanation.js';
import { pickAgent } from '../domain/routing.js';
import { raisedPriority } from '../domain/priority.js';
import { listensTo } from '../domain/rules/rule-clock.js';
import { botMayAnswerOn, selfServiceEvents, selfServiceSettingsOf } from '../domain/self-service.js';
import { dueDatesOf, slaStateOf, startConversationClocks, type SlaBook } from '../domain/sla-bookkeeping.js';
import type { SlaMetric } from '../domain/sla-clock.js';
import type { AgentTier, ConversationStatus, Presence, Priority, RoutingTier, SlaState, WaitingOn } from '../domain/vocabulary.js';
import { conversationWorkflowId } from '../domain/workflow-ids.js';
import type { Tx } from '../infra/db.js';
import type { Prisma } from '../prisma/generated/client.js';
import type { ActivityDeps } from './activity-deps.js';
import { createBot, type Bot, type BotAttempt } from './ai-activities.js';
import { changeConversation, changeConversationWith } from './conversation-writes.js';
import { alreadyRecorded, operationId } from './operations.js';
import { suggestQuestionsFromHelpfulAnswer } from './question-suggestions.js';
import { planContextInclude, readForPreparation } from './preparation-read.js';
import { preparationSettings, type PreparationSettings } from './preparation-settings.js';
import { slaPlanOf } from './sla-plans.js';
import { inTransaction, sqlOf, utcColumn, utcText } from './sql.js';
import type { EscalationStep, SlaPlan } from '../domain/sla-plan.js';
import type { ConversationSettings, ConversationState } from '../workflows/conversation.messages.js';
import { agentsAvailableSignal, conversationFailures, requeueSignal } from '../workflows/conversation.messages.js';

/** Conversations that hold one of an agent's seats. */
const seatStatuses: ConversationStatus[] = [...seatHoldingStatuses];
const defaultSettings: ConversationSettings = { reopenWindowHours: 72, maxHistoryEvents: 4000 };

/** An agent routing weighs: pickAgent's fields, and what the explanation says of them. */
interface RoutingCandidate {
  id: string;
  capacity: number;
  lastAssignedAt: Date | null;
  skills: string[];
  presence: Presence;
  teamId: string | null;
  tier: AgentTier;
  openCount: number;
}

type PlanContext = Prisma.ConversationGetPayload<{ include: typeof planContextInclude }>;

/** What the workflow starts from: the fields of its state as stored, and what it needs besides. */
export interface PreparedConversation extends Pick<
  ConversationState,
  'status' | 'waitingOn' | 'priority' | 'tier' | 'assigneeId' | 'teamId' | 'skill' | 'sla' | 'settings'
> {
  createdAt: string;
  firstResponseAt: string | null;
  /** A model should refine the rules' classification (classifyWithModel). */
  refineClassification: boolean;
  /** The bot may try to answer the first message (switched on, on a channel where it speaks). */
  selfService: boolean;
  /**
   * The bot answers in-process (the local AI fallback, no remote model): the workflow may run
   * answerWithBot as a local activity instead of a round trip through the task queue. Absent from
   * results recorded before it existed.
   */
  botRunsLocally?: boolean;
  /**
   * The triggers the enabled conversation rules listen to now (as matchRules reports them): the
   * workflow skips matching the first message's events when none listens. Absent before it existed.
   */
  watching?: string[];
  /** The bot's attempt, when it was asked (`answer`) and made here; absent: the workflow decides about the bot. */
  bot?: BotAttempt;
}

/** What the first run's one step (startConversation) did after preparing: the SLA it saved, and routing's result. */
export interface RoutedAtStart extends Awaited<ReturnType<ConversationActivities['routeConversation']>> {
  /** The SLA state and due dates saved (as saveSla): the workflow saves them again only if its own differ. */
  sla: { slaState: SlaState; dueDates: Record<SlaMetric, string | null> };
}

/** The preparation, and `routed` when the same step saved the SLA and routed. */
export interface StartedConversation extends PreparedConversation {
  routed?: RoutedAtStart;
}

/** The fields a workflow may change; written together with one event. */
export interface ConversationChange {
  status?: ConversationStatus;
  waitingOn?: WaitingOn | null;
  priority?: Priority;
  tier?: RoutingTier;
  assigneeId?: string | null;
  teamId?: string | null;
  snoozedUntil?: string | null;
  resolvedAt?: string | null;
  reopenCount?: number;
}

export interface SlaEventInput {
  metric: SlaMetric;
  kind: 'warning' | 'breached';
  dueAt: string;
}

export interface EscalationResult {
  /** What changed, for the workflow to mirror. */
  state: Partial<Pick<ConversationState, 'priority' | 'tier' | 'teamId' | 'assigneeId' | 'status'>>;
  /** The current agent cannot keep it (moved to the expert tier): route again. */
  requeue: boolean;
}

export interface ConversationActivities {
  /**
   * Classifies the first message, picks the SLA policy and reads settings; safe to repeat. With
   * `answer` (the first message may be answered automatically) and an in-process AI layer, a queued
   * conversation the bot may serve gets the bot's attempt here too (`bot`), as answerWithBot would.
   */
  prepareConversation(input: { conversationId: string; answer?: boolean }): Promise<PreparedConversation>;
  /**
   * The first run's first step: prepareConversation, then — when nothing the workflow does before
   * routing can change who takes the conversation (routesAtOnce) — saveSla and routeConversation,
   * as the workflow would run them next: one local activity instead of three. Safe to repeat.
   */
  startConversation(input: { conversationId: string; answer?: boolean }): Promise<StartedConversation>;
  /** The SLA policy for this priority (and the conversation's channel and team); records it. */
  resolveSlaPlan(input: { conversationId: string; priority: Priority }): Promise<SlaPlan | null>;
  /** Decides who should take the conversation; null when nobody online has a free seat. */
  findAssignee(input: { conversationId: string; tier: RoutingTier; teamId: string | null; skill: string | null }): Promise<{ agentId: string | null }>;
  /**
   * findAssignee and assignConversation (with checkCapacity) in one call: one activity per routing
   * attempt instead of two. `assigned` false with an agent: someone else took the last seat (decide again).
   */
  routeConversation(input: { conversationId: string; tier: RoutingTier; teamId: string | null; skill: string | null }): Promise<{
    agentId: string | null;
    assigned: boolean;
    teamId: string | null;
  }>;
  /** Writes an assignment. With checkCapacity (routing) only a queued conversation is taken, and
   * only while the agent is online with a free seat (checked under a row lock). */
  assignConversation(input: {
    conversationId: string;
    agentId: string;
    checkCapacity: boolean;
    actorId: string | null;
    /** Why routing chose the agent (routeConversation passes it), stored on the assignment's event. */
    explanation?: RoutingExplanation;
  }): Promise<{ assigned: boolean; teamId: string | null }>;
  /** Moves the conversation to a team (its tier follows the team's). */
  moveToTeam(input: { conversationId: string; teamId: string; actorId: string }): Promise<{ tier: AgentTier; name: string }>;
  /** Persists a lifecycle change chosen by the workflow, with its event. */
  applyConversationChange(input: {
    conversationId: string;
    change: ConversationChange;
    event: { type: string; actorId: string | null; details: Record<string, unknown> };
  }): Promise<void>;
  /** Stores the SLA state and due dates; with `event`, records a warning or breach. */
  saveSla(input: {
    conversationId: string;
    slaState: SlaState;
    dueDates: Record<SlaMetric, string | null>;
    event?: SlaEventInput;
    replanned?: { reason: string };
  }): Promise<void>;
  /** Runs one step of the escalation ladder. */
  escalate(input: { conversationId: string; step: EscalationStep; metric: SlaMetric }): Promise<EscalationResult>;
  /** Moves the source's messages into the target (same customer) and closes the source. */
  mergeConversations(input: { sourceId: string; targetId: string; byUserId: string }): Promise<void>;
  /** Seats may have freed: the oldest queued conversations try routing again. */
  offerQueuedConversations(input: { reason: string }): Promise<number>;
  /** Whether an agent is online, away or offline. */
  agentPresence(input: { agentId: string }): Promise<Presence>;
}

/**
 * `bot`: what the preparation answers the first message with (activities/index.ts passes the
 * worker's one, so the knowledge index is cached once); built from `deps` when absent.
 */
export function createConversationActivities(deps: ActivityDeps, bot?: Bot): ConversationActivities {
  const { db, temporal, ai } = deps;
  const botOf = () => (bot ??= createBot(deps));
  const settingsNow = preparationSettings(db).current;
  /** Routing's statements, on the pg pool under Prisma when there is one. */
  const sql = sqlOf(db);
  /** The SLA policy that fits the conversation (reads only); the caller records its id. */
  const planFor = async (conversation: PlanContext, priority: Priority, settings?: PreparationSettings): Promise<SlaPlan | null> => {
    const { policies: enabled, tierHours } = settings ?? (await settingsNow());
    const policies = enabled.filter((policy) => policy.priority === priority);
    // The most specific policy wins: one for this team and channel, then team, then channel, then any.
    const fits = policies.filter(
      (policy) => (!policy.teamId || policy.teamId === conversation.teamId) && (!policy.channelKind || policy.channelKind === conversation.channel.kind),
    );
    const specificity = (policy: (typeof policies)[number]) => (policy.teamId ? 2 : 0) + (policy.channelKind ? 1 : 0);
    const policy = fits.sort((a, b) => specificity(b) - specificity(a) || a.name.localeCompare(b.name))[0];
    if (!policy) return null;
    // Business hours: the policy's own, else the conversation's team's, else the first team of its tier (defaultHours).
    const fallback = conversation.team ? conversation.team.businessHours : tierHours[conversation.tier === 'expert' ? 'expert' : 'junior'];
    return slaPlanOf(policy, policy.businessHours ? null : fallback);
  };

  const loadPlanContext = (conversationId: string) => db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: planContextInclude });

  /**
   * Whom routing would choose, and why (domain/explanation.ts). Every agent of the tier (and team)
   * is read, not only those online, so the explanation can say who was away; pickAgent decides
   * among the online ones exactly as before.
   */
  const decideAssignee = async ({ tier, teamId, skill }: Parameters<ConversationActivities['findAssignee']>[0]) => {
    // One raw statement on the pool: Prisma's findMany with a relation count cost more worker CPU than the read.
    const candidatesOf = (agentTier: AgentTier) =>
      sql.query<RoutingCandidate>(
        `SELECT u.id, u.capacity, ${utcColumn('u."lastAssignedAt"')}, u.skills, u.presence::text AS presence, u."teamId", u.tier::text AS tier,
          (SELECT count(*)::int FROM "Conversation" c WHERE c."assigneeId" = u.id AND c.status = ANY($1::"ConversationStatus"[])) AS "openCount"
        FROM "User" u
        WHERE u.role = 'agent' AND u."deactivatedAt" IS NULL AND u.tier = $2::"AgentTier" AND ($3::uuid IS NULL OR u."teamId" = $3::uuid)
        ORDER BY u.id`,
        [seatStatuses, agentTier, teamId],
      );
    const choose = (everyone: Awaited<ReturnType<typeof candidatesOf>>) => {
      const agents = everyone.filter((agent) => agent.presence === 'online');
      // Agents with the needed skill first; anyone of the tier when none of them has a seat.
      const skilled = skill ? pickAgent(agents.filter((agent) => agent.skills.includes(skill))) : null;
      return skilled ?? pickAgent(agents);
    };
    const pools = [await candidatesOf(tier === 'expert' ? 'expert' : 'junior')];
    const primary = choose(pools[0]!);
    // Junior work overflows to experts rather than waiting; expert work never goes down a tier.
    const overflows = !primary && tier !== 'expert' && !teamId;
    if (overflows) pools.push(await candidatesOf('expert'));
    const chosen = primary ?? (overflows ? choose(pools[1]!) : null);
    const explanation = explainRouting({ tier, teamId, skill, pools, chosenId: chosen?.id ?? null, now: new Date() });
    return { agentId: chosen?.id ?? null, explanation };
  };

  const findAssignee: ConversationActivities['findAssignee'] = async (input) => ({ agentId: (await decideAssignee(input)).agentId });

  /**
   * A queued conversation's reasons, once: routed again with the same reasons (every offer of a
   * freed seat asks each queued conversation), nothing more is written.
   */
  const recordQueued = async (conversationId: string, explanation: RoutingExplanation) => {
    const last = await db.event.findFirst({ where: { conversationId, type: 'routing.queued' }, orderBy: { id: 'desc' }, select: { id: true, payload: true } });
    const assignedSince = last && (await db.event.count({ where: { conversationId, type: 'conversation.assigned', id: { gt: last.id } } }));
    const previous = explanationOf(last?.payload);
    if (previous?.kind === 'routing' && !assignedSince && sameRoutingReasons(previous, explanation)) return;
    await db.$transaction(async (tx) => {
      const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { status: true } });
      if (conversation.status !== 'queued') return;
      await changeConversation(tx, conversationId, {}, { type: 'routing.queued', actorId: null, internal: true, payload: { explanation } });
    });
  };

  const assignConversation: ConversationActivities['assignConversation'] = async ({ conversationId, agentId, checkCapacity, actorId, explanation }) => {
    // On the pool under Prisma (activities/sql.ts): routing's hottest transaction.
    return inTransaction(db, async (tx) => {
      // Lock the agent: two conversations racing for the last seat see each other's write.
      const [agent] = await tx.query<{ id: string; capacity: number; presence: string; teamId: string | null; role: string; deactivated: boolean }>(
        `SELECT id, capacity, presence::text AS presence, "teamId", role::text AS role, "deactivatedAt" IS NOT NULL AS deactivated
        FROM "User" WHERE id = $1::uuid FOR UPDATE`,
        [agentId],
      );
      // A deactivated (or deleted) account takes nothing, not even by a transfer to them by name.
      if (!agent || agent.deactivated) return { assigned: false, teamId: null };
      // The conversation and the agent's other seats in one read, after the lock (a new snapshot in
      // this statement sees an assignment committed by the racer we waited for).
      const [conversation] = await tx.query<{ status: ConversationStatus; assigneeId: string | null; teamId: string | null; seatsHeld: number }>(
        `SELECT status::text AS status, "assigneeId", "teamId",
          (SELECT count(*)::int FROM "Conversation" s
           WHERE s."assigneeId" = $1::uuid AND s.status = ANY($2::"ConversationStatus"[]) AND s.id <> c.id) AS "seatsHeld"
        FROM "Conversation" c WHERE id = $3::uuid`,
        [agentId, seatStatuses, conversationId],
      );
      if (!conversation) throw new Error(`Conversation ${conversationId} does not exist.`);
      if (conversation.assigneeId === agentId && conversation.status !== 'queued') return { assigned: true, teamId: conversation.teamId };
      if (checkCapacity) {
        if (conversation.status !== 'queued' || agent.presence !== 'online') return { assigned: false, teamId: null };
        if (conversation.seatsHeld >= agent.capacity) return { assigned: false, teamId: null };
      }
      const teamId = agent.teamId ?? conversation.teamId;
      await tx.query(
        `UPDATE "User" SET "lastAssignedAt" = ($1::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ($1::timestamptz AT TIME ZONE 'UTC') WHERE id = $2::uuid`,
        [utcText(new Date()), agentId],
      );
      const status = statusAfterAssignment(conversation.status);
      await changeConversationWith(
        tx,
        conversationId,
        { assigneeId: agentId, teamId, status },
        {
          type: eventTypes.conversationAssigned,
          actorId,
          payload: { previousAssigneeId: conversation.assigneeId, ...(explanation ? { explanation } : {}) },
        },
      );
      return { assigned: true, teamId };
    });
  };

  const activities: ConversationActivities = {
    startConversation: (input) => startConversationWith(activities, input),

    async prepareConversation({ conversationId, answer }) {
      // The bot's read too (its first public customer or bot messages), for the attempt below.
      const conversation = await readForPreparation(db, conversationId);
      // The local fallback classifies in-process (rules plus its sentiment lexicon); a model is
      // slower and remote, so the rules stand first and the workflow asks the model separately.
      const text = conversation.messages.find((message) => message.authorKind === 'customer')?.body ?? '';
      const { usage: _local, ...classification } =
        ai.provider === 'local' ? await ai.classify(text, conversation.customer) : { ...classifyMessage(text, conversation.customer), usage: null };
      // The first run classifies; a retry (or a later run) finds language set and keeps what was recorded.
      const firstRun = conversation.language === null;
      const tier: RoutingTier = firstRun ? classification.tier : conversation.tier;
      const settings = await settingsNow();
      const { organization, triggers } = settings;
      const sla = await planFor({ ...conversation, tier }, conversation.priority, settings);
      // One commit for the classification and the policy choice.
      const slaPolicyId = sla?.policyId ?? null;
      if (firstRun) {
        // On the pool under Prisma (activities/sql.ts), as routing's writes.
        await inTransaction(db, (tx) =>
          changeConversationWith(
            tx,
            conversationId,
            { tier, language: classification.language, slaPolicyId },
            {
              type: 'conversation.classified',
              actorId: null,
              internal: true,
              payload: { classification },
            },
          ),
        );
      } else if (conversation.slaPolicyId !== slaPolicyId) {
        await db.conversation.update({ where: { id: conversationId }, data: { slaPolicyId } });
      }
      const configured = (organization?.settings ?? {}) as Partial<ConversationSettings>;
      const selfService =
        selfServiceSettingsOf((organization?.settings as Record<string, unknown> | null)?.selfService).enabled && botMayAnswerOn(conversation.channel.kind);
      // The in-process bot answers in the same activity (one step less for the workflow); a remote
      // model is asked by the workflow itself, after the model's classification.
      const botHere = answer === true && selfService && ai.provider === 'local' && conversation.status === 'queued';
      const botAttempt = botHere ? await botOf().answer(conversation, organization?.settings ?? null) : undefined;
      return {
        status: conversation.status,
        waitingOn: conversation.waitingOn,
        priority: conversation.priority,
        tier,
        assigneeId: conversation.assigneeId,
        teamId: conversation.teamId,
        skill: skillOf(classification.intent),
        sla,
        settings: {
          reopenWindowHours: Number(configured.reopenWindowHours ?? defaultSettings.reopenWindowHours),
          maxHistoryEvents: Number(configured.maxHistoryEvents ?? defaultSettings.maxHistoryEvents),
        },
        createdAt: conversation.createdAt.toISOString(),
        firstResponseAt: conversation.firstResponseAt?.toISOString() ?? null,
        refineClassification: firstRun && ai.provider !== 'local',
        selfService,
        botRunsLocally: ai.provider === 'local',
        watching: triggers,
        ...(botAttempt ? { bot: botAttempt } : {}),
      };
    },

    async resolveSlaPlan({ conversationId, priority }) {
      const sla = await planFor(await loadPlanContext(conversationId), priority);
      await db.conversation.update({ where: { id: conversationId }, data: { slaPolicyId: sla?.policyId ?? null } });
      return sla;
    },

    findAssignee,

    assignConversation,

    async routeConversation(input) {
      // Run again after its assignment was committed (a local activity is, when its worker dies
      // before the workflow recorded the result): the assignment stands, whoever routing would
      // pick now. The workflow routes only a queued conversation, so an assignee here is its own.
      const [current] = await sql.query<{ status: ConversationStatus; assigneeId: string | null; teamId: string | null }>(
        `SELECT status::text AS status, "assigneeId", "teamId" FROM "Conversation" WHERE id = $1::uuid`,
        [input.conversationId],
      );
      if (current?.assigneeId && current.status !== 'queued') return { agentId: current.assigneeId, assigned: true, teamId: current.teamId };
      const { agentId, explanation } = await decideAssignee(input);
      if (!agentId) {
        await recordQueued(input.conversationId, explanation);
        return { agentId, assigned: false, teamId: null };
      }
      const result = await assignConversation({ conversationId: input.conversationId, agentId, checkCapacity: true, actorId: null, explanation });
      return { agentId, ...result };
    },

    async moveToTeam({ conversationId, teamId, actorId }) {
      const team = await db.team.findUnique({ where: { id: teamId } });
      if (!team) throw ApplicationFailure.nonRetryable(`Team ${teamId} does not exist.`, conversationFailures.transferRefused);
      await db.$transaction((tx) =>
        changeConversation(
          tx,
          conversationId,
          { teamId, tier: team.tier },
          { type: 'conversation.team_changed', actorId, payload: { teamId, teamName: team.name } },
        ),
      );
      return { tier: team.tier, name: team.name };
    },

    async applyConversationChange({ conversationId, change, event }) {
      const { type } = event;
      // The workflow names the event as text; an unregistered type would reach no audience rule.
      if (!isEventType(type)) throw ApplicationFailure.nonRetryable(`Unknown event type ${type}.`, 'unknown_event_type');
      const operation = operationId();
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { conversationId }, operation)) return; // a retry after the commit
        const data = {
          ...change,
          snoozedUntil: change.snoozedUntil === undefined ? undefined : change.snoozedUntil ? new Date(change.snoozedUntil) : null,
          resolvedAt: change.resolvedAt === undefined ? undefined : change.resolvedAt ? new Date(change.resolvedAt) : null,
        };
        await changeConversation(tx, conversationId, data, { type, actorId: event.actorId, payload: { ...event.details, operation } });
        if (event.type === selfServiceEvents.helpful) await suggestQuestionsFromHelpfulAnswer(tx, conversationId);
      });
    },

    async saveSla({ conversationId, slaState, dueDates, event, replanned }) {
      // The clocks' own progress (most saves: every conversation's first) is one statement, no
      // transaction, on the pool under Prisma (activities/sql.ts); the due dates are UTC ISO text.
      if (!event && !replanned) {
        const [saved] = await sql.query<{ id: string }>(
          `UPDATE "Conversation" SET "slaState" = $2::"SlaState", "firstResponseDueAt" = ($3::timestamptz AT TIME ZONE 'UTC'),
            "nextResponseDueAt" = ($4::timestamptz AT TIME ZONE 'UTC'), "resolutionDueAt" = ($5::timestamptz AT TIME ZONE 'UTC'),
            "updatedAt" = ($6::timestamptz AT TIME ZONE 'UTC')
          WHERE id = $1::uuid RETURNING id`,
          [conversationId, slaState, dueDates.first_response, dueDates.next_response, dueDates.resolution, utcText(new Date())],
        );
        if (!saved) throw new Error(`Conversation ${conversationId} does not exist.`);
        return;
      }
      const toDate = (value: string | null) => (value ? new Date(value) : null);
      const data = {
        slaState,
        firstResponseDueAt: toDate(dueDates.first_response),
        nextResponseDueAt: toDate(dueDates.next_response),
        resolutionDueAt: toDate(dueDates.resolution),
      };
      const operation = operationId();
      await db.$transaction(async (tx) => {
        // A re-plan is announced (agents' countdowns follow it); the clocks' own progress is not.
        if (replanned)
          return changeConversation(tx, conversationId, data, { type: 'sla.replanned', actorId: null, internal: true, payload: { reason: replanned.reason } });
        if (!event) return;
        if (await alreadyRecorded(tx, { conversationId }, operation)) return;
        // SLA events are for agents (internal): customers never see them.
        await changeConversation(tx, conversationId, data, { type: `sla.${event.kind}`, actorId: null, internal: true, payload: { ...event, operation } });
      });
    },

    async escalate({ conversationId, step, metric }) {
      const operation = operationId();
      return db.$transaction(async (tx): Promise<EscalationResult> => {
        const conversation = await tx.conversation.findUniqueOrThrow({
          where: { id: conversationId },
          include: { assignee: true, team: true, slaPolicy: true },
        });
        const explanation = await explainEscalation(tx, conversation, step, metric);
        const record = (change: Record<string, unknown>, details: Record<string, unknown> = {}) =>
          alreadyRecorded(tx, { conversationId }, operation).then((done) =>
            done
              ? undefined
              : changeConversation(tx, conversationId, change, {
                  type: 'sla.escalated',
                  actorId: null,
                  internal: true,
                  payload: { action: step.action, metric, operation, ...details, explanation },
                }),
          );
        switch (step.action) {
          case 'notify': {
            // Realtime: the event itself reaches the assignee and the team. Email: recorded here as
            // the hook the email channel sends from.
            const lead = conversation.team?.leadId ?? null;
            await record({}, { notify: [conversation.assigneeId, lead].filter(Boolean), channels: ['realtime', 'email'] });
            return { state: {}, requeue: false };
          }
          case 'raise_priority': {
            const priority = raisedPriority(conversation.priority);
            await record({ priority }, { from: conversation.priority, to: priority });
            return { state: { priority }, requeue: false };
          }
          case 'move_to_expert': {
            const expertTeam = await tx.team.findFirst({ where: { tier: 'expert' }, orderBy: { name: 'asc' } });
            const teamId = expertTeam?.id ?? null;
            await record({ tier: 'expert', teamId }, { teamId });
            const keeps = conversation.assignee?.tier === 'expert';
            return { state: { tier: 'expert', teamId }, requeue: !keeps && conversation.assigneeId !== null };
          }
          case 'reassign_to_lead': {
            const leadId = conversation.team?.leadId ?? null;
            if (!leadId || leadId === conversation.assigneeId) {
              await record({}, { skipped: leadId ? 'already with the lead' : 'the team has no lead' });
              return { state: {}, requeue: false };
            }
            const status = conversation.status === 'queued' ? 'open' : conversation.status;
            await record({ assigneeId: leadId, status }, { to: leadId });
            return { state: { assigneeId: leadId, status }, requeue: false };
          }
        }
      });
    },

    async mergeConversations({ sourceId, targetId, byUserId }) {
      await db.$transaction(async (tx) => {
        const [source, target] = await Promise.all([
          tx.conversation.findUnique({ where: { id: sourceId } }),
          tx.conversation.findUnique({ where: { id: targetId } }),
        ]);
        if (source?.status === 'closed' && source.mergedIntoId === targetId) return; // a retry
        if (!source || !target) throw ApplicationFailure.nonRetryable('The conversation to merge into does not exist.', conversationFailures.mergeRefused);
        if (source.customerId !== target.customerId)
          throw ApplicationFailure.nonRetryable('Only conversations of the same customer can be merged.', conversationFailures.mergeRefused);
        if (target.status === 'closed') throw ApplicationFailure.nonRetryable('The target conversation is closed.', conversationFailures.mergeRefused);
        // Keys were unique per conversation; the merged messages stay reachable by id.
        const moved = await tx.message.updateMany({ where: { conversationId: sourceId }, data: { conversationId: targetId, idempotencyKey: null } });
        await changeConversation(
          tx,
          sourceId,
          { status: 'closed', mergedIntoId: targetId, waitingOn: null },
          { type: 'conversation.merged', actorId: byUserId, payload: { into: targetId, movedMessages: moved.count } },
        );
        await changeConversation(
          tx,
          targetId,
          { lastMessageAt: new Date() },
          { type: 'conversation.merged_into', actorId: byUserId, payload: { from: sourceId, movedMessages: moved.count } },
        );
      });
    },

    offerQueuedConversations: ({ reason }) => offerQueuedConversations({ db, temporal }, reason),

    async agentPresence({ agentId }) {
      const agent = await db.user.findUnique({ where: { id: agentId }, select: { presence: true } });
      return agent?.presence ?? 'offline';
    },
  };
  return activities;
}

/** Rule events the workflow matches for a first message that may be answered automatically. */
const firstMessageEvents = ['conversation_created', 'message_received'];

/**
 * Whether the workflow's next step after this preparation is routing, as it runs today: a queued
 * conversation that no model classification, bot attempt (made, or still to make), bot action or
 * rule on the first message comes before. `answer`: the first message may be answered automatically.
 */
export function routesAtOnce(prepared: PreparedConversation, answer: boolean): boolean {
  if (prepared.status !== 'queued' || prepared.refineClassification) return false;
  if (prepared.bot ? prepared.bot.answered || prepared.bot.action : answer && prepared.selfService) return false;
  return !answer || !firstMessageEvents.some((on) => listensTo(prepared.watching, on));
}

/**
 * startConversation over the three steps it joins (the activities, or a test's fakes), in the
 * workflow's order: prepare, save the SLA its clocks start with, route. The workflow adopts the
 * routing after its first-run steps, so the rule events routing derives come as before. Run again
 * after its assignment committed (a worker that died before its workflow task completed), the
 * preparation reads the conversation assigned and the workflow starts from that, as it did when the
 * three steps ran again.
 */
export async function startConversationWith(
  steps: Pick<ConversationActivities, 'prepareConversation' | 'saveSla' | 'routeConversation'>,
  input: { conversationId: string; answer?: boolean },
  now = () => new Date(),
): Promise<StartedConversation> {
  const { conversationId } = input;
  const prepared = await steps.prepareConversation(input);
  if (!routesAtOnce(prepared, input.answer === true)) return prepared;
  const book: SlaBook = { sla: null, clocks: [], reported: {} };
  const at = now();
  startConversationClocks(book, prepared, at);
  const sla = { slaState: slaStateOf(book, at), dueDates: dueDatesOf(book) };
  await steps.saveSla({ conversationId, ...sla });
  const routing = await steps.routeConversation({ conversationId, tier: prepared.tier, teamId: prepared.teamId, skill: prepared.skill });
  return { ...prepared, routed: { ...routing, sla } };
}

const dueColumn = { first_response: 'firstResponseDueAt', next_response: 'nextResponseDueAt', resolution: 'resolutionDueAt' } as const;

/**
 * Why this ladder step runs (domain/explanation.ts): the clock, the step's place on the policy's
 * ladder and the times. The workflow runs the whole ladder on a breach, in order, so the steps
 * recorded for this clock since its breach give the position.
 */
async function explainEscalation(
  tx: Tx,
  conversation: { id: string; slaPolicy: { name: string; escalation: Prisma.JsonValue } | null } & Record<(typeof dueColumn)[SlaMetric], Date | null>,
  step: EscalationStep,
  metric: SlaMetric,
): Promise<EscalationExplanation> {
  const ladder = Array.isArray(conversation.slaPolicy?.escalation) ? conversation.slaPolicy.escalation.length : 0;
  const earlier = await tx.event.count({ where: { conversationId: conversation.id, type: 'sla.escalated', payload: { path: ['metric'], equals: metric } } });
  const steps = Math.max(ladder, 1);
  return {
    kind: 'escalation',
    metric,
    action: step.action,
    step: (earlier % steps) + 1,
    steps,
    policyName: conversation.slaPolicy?.name ?? null,
    dueAt: conversation[dueColumn[metric]]?.toISOString() ?? null,
    escalatedAt: new Date().toISOString(),
  };
}

/** Seats may have freed: the oldest queued conversations (up to 50) are signalled to route again. */
export async function offerQueuedConversations({ db, temporal }: Pick<ActivityDeps, 'db' | 'temporal'>, reason: string): Promise<number> {
  const queued = await db.conversation.findMany({ where: { status: 'queued' }, orderBy: { createdAt: 'asc' }, select: { id: true }, take: 50 });
  for (const { id } of queued) {
    await temporal.workflow
      .getHandle(conversationWorkflowId(id))
      .signal(agentsAvailableSignal, { reason })
      .catch(() => undefined); // a conversation whose workflow has ended has nothing to route
  }
  return queued.length;
}

/** Signals every open conversation of an agent to route again (used after the offline grace period). */
export async function requeueConversationsOf(deps: Pick<ActivityDeps, 'db' | 'temporal'>, agentId: string, reason: string): Promise<number> {
  const held = await deps.db.conversation.findMany({ where: { assigneeId: agentId, status: { in: seatStatuses } }, select: { id: true } });
  for (const { id } of held) {
    await deps.temporal.workflow
      .getHandle(conversationWorkflowId(id))
      .signal(requeueSignal, { reason, fromAgentId: agentId })
      .catch(() => undefined);
  }
  return held.length;
}

// Why a decision was made: what routing, the SLA ladder, the bot and automation rules store in
// the event they write (the `explanation` field of its payload), and the plain words an agent
// reads for it. Pure, so the API, the console and the tests share one wording. Stored compactly:
// agents by id (names are looked up when read, so a renamed or erased account is shown as it is
// now), numbers rounded, never a message's text or a secret. The words are in English and
// Simplified Chinese; the console converts them for Traditional Chinese readers, as it converts its
// zh-TW table (console/src/customer/explanations.ts).
import type { SlaMetric } from './sla-clock.js';
import type { EscalationStep } from './sla-plan.js';
import type { AgentTier, Presence, RoutingTier } from './vocabulary.js';

/** Why routing did not give the conversation to a candidate. */
export type PassedOver = 'offline' | 'away' | 'at_capacity' | 'lacks_skill' | 'more_load' | 'idle_less' | 'tie';

/** One agent routing looked at, as they were at that moment. */
export interface RoutingCandidate {
  agentId: string;
  tier: AgentTier;
  teamId: string | null;
  presence: Presence;
  /** Whether the agent has the skill the conversation needs; null when it needs none. */
  skilled: boolean | null;
  /** Open conversations held and seats; null where the reader may not see them (another team's load). */
  open: number | null;
  capacity: number | null;
  /** Minutes since the agent was last given a conversation; null: never (or hidden). */
  idleMinutes: number | null;
  verdict: 'chosen' | PassedOver;
}

/**
 * The routing policy (activities/conversation-activities.ts findAssignee, domain/routing.ts):
 * online agents of the tier (and team) with a free seat, those with the needed skill first, then
 * the fewest open conversations, then idle longest. Junior work nobody can take overflows to the
 * experts.
 */
export const routingPolicy = 'skill_then_least_loaded_then_idle_longest';

export interface RoutingExplanation {
  kind: 'routing';
  policy: typeof routingPolicy;
  outcome: 'assigned' | 'queued';
  tier: RoutingTier;
  teamId: string | null;
  skill: string | null;
  /** Nobody with the skill had a free seat: anyone of the tier was taken. */
  skillFallback: boolean;
  /** Nobody of the junior tier could take it: an expert did. */
  overflow: boolean;
  /** The chosen agent first, then the others closest to being chosen (at most maxCandidates). */
  candidates: RoutingCandidate[];
  /** Candidates considered but left out of the list to keep it short. */
  more: number;
}

export interface EscalationExplanation {
  kind: 'escalation';
  metric: SlaMetric;
  action: EscalationStep['action'];
  /** 1-based position of the step on the policy's ladder, and how many steps it has. */
  step: number;
  steps: number;
  policyName: string | null;
  dueAt: string | null;
  escalatedAt: string;
}

export interface BotExplanation {
  kind: 'bot';
  outcome: 'answered' | 'clarifying' | 'declined';
  /** Why it declined (RefusalReason, or the self-service reason such as `asked_for_person`). */
  reason: string | null;
  confidence: number;
  threshold: number | null;
  /** The threshold came from this knowledge base's own calibration (not the shipped one or an admin's number). */
  calibrated: boolean | null;
  /** The best matching articles, best first, with their retrieval score (0–1). */
  alternatives: readonly { title: string; score: number }[];
}

export interface RuleConditionTrace {
  field: string;
  op: string;
  expected: unknown;
  /** The value the rule saw (a message's text is never stored, only whether it held). */
  seen: unknown;
  held: boolean;
}

export interface RuleExplanation {
  kind: 'rule';
  ruleName: string;
  trigger: string;
  /** `all` (every condition), `any`, or `always` (no conditions). */
  mode: 'all' | 'any' | 'always';
  conditions: readonly RuleConditionTrace[];
}

export type Explanation = RoutingExplanation | EscalationExplanation | BotExplanation | RuleExplanation;

export type ExplanationLanguage = 'en' | 'zh-CN';
export const explanationLanguages: readonly ExplanationLanguage[] = ['en', 'zh-CN'];

/** Candidates a routing explanation lists at most (the rest are counted in `more`). */
export const maxCandidates = 8;

/** What routing knows of an agent when it decides. */
export interface RoutingAgent {
  id: string;
  tier: AgentTier;
  teamId: string | null;
  presence: Presence;
  skills: readonly string[];
  openCount: number;
  capacity: number;
  lastAssignedAt: Date | null;
}

/**
 * The explanation of one routing decision, from everyone routing looked at and whom it chose
 * (null: nobody, the conversation waits). `pools`: the agents of each tier asked, in order (the
 * junior tier, then the experts on overflow).
 */
export function explainRouting(input: {
  tier: RoutingTier;
  teamId: string | null;
  skill: string | null;
  pools: readonly (readonly RoutingAgent[])[];
  chosenId: string | null;
  now: Date;
}): RoutingExplanation {
  const { skill, chosenId, now } = input;
  const all = input.pools.flat();
  const chosen = all.find((agent) => agent.id === chosenId) ?? null;
  const free = (agent: RoutingAgent) => agent.presence === 'online' && agent.openCount < agent.capacity;
  const idleMs = (agent: RoutingAgent) => (agent.lastAssignedAt ? now.getTime() - agent.lastAssignedAt.getTime() : Number.POSITIVE_INFINITY);
  const skilledPool = (pool: readonly RoutingAgent[]) => (skill ? pool.filter((agent) => free(agent) && agent.skills.includes(skill)) : []);
  const chosenPool = input.pools.find((pool) => pool.some((agent) => agent.id === chosenId)) ?? [];
  const skillFallback = skill !== null && chosen !== null && !chosen.skills.includes(skill);
  const verdictOf = (agent: RoutingAgent): RoutingCandidate['verdict'] => {
    if (agent.id === chosenId) return 'chosen';
    if (agent.presence !== 'online') return agent.presence;
    if (agent.openCount >= agent.capacity) return 'at_capacity';
    // Within the pool the choice came from, someone skilled had a seat and this agent lacks the skill.
    if (skill && !agent.skills.includes(skill) && (chosen?.skills.includes(skill) || skilledPool(chosenPool).length > 0)) return 'lacks_skill';
    if (!chosen) return 'at_capacity';
    if (agent.openCount > chosen.openCount) return 'more_load';
    if (idleMs(agent) < idleMs(chosen)) return 'idle_less';
    return 'tie';
  };
  const closeness: Record<RoutingCandidate['verdict'], number> = {
    chosen: 0,
    tie: 1,
    idle_less: 2,
    more_load: 3,
    lacks_skill: 4,
    at_capacity: 5,
    away: 6,
    offline: 7,
  };
  const candidates = all
    .map((agent): RoutingCandidate => ({
      agentId: agent.id,
      tier: agent.tier,
      teamId: agent.teamId,
      presence: agent.presence,
      skilled: skill ? agent.skills.includes(skill) : null,
      open: agent.openCount,
      capacity: agent.capacity,
      idleMinutes: agent.lastAssignedAt ? Math.max(0, Math.floor((now.getTime() - agent.lastAssignedAt.getTime()) / 60_000)) : null,
      verdict: verdictOf(agent),
    }))
    .sort((a, b) => closeness[a.verdict] - closeness[b.verdict] || (a.open ?? 0) - (b.open ?? 0) || a.agentId.localeCompare(b.agentId));
  return {
    kind: 'routing',
    policy: routingPolicy,
    outcome: chosen ? 'assigned' : 'queued',
    tier: input.tier,
    teamId: input.teamId,
    skill,
    skillFallback,
    overflow: chosen !== null && input.pools.length > 1 && !input.pools[0]!.some((agent) => agent.id === chosenId),
    candidates: candidates.slice(0, maxCandidates),
    more: Math.max(0, candidates.length - maxCandidates),
  };
}

/** Whether two routing explanations say the same (a queued conversation routed again finds the same reasons: written once). */
export function sameRoutingReasons(a: RoutingExplanation, b: RoutingExplanation): boolean {
  const key = (explanation: RoutingExplanation) =>
    JSON.stringify([explanation.outcome, explanation.more, explanation.candidates.map((candidate) => [candidate.agentId, candidate.verdict])]);
  return key(a) === key(b);
}

/**
 * The explanation as one reader may see it: another team's load (seats, open conversations, idle
 * time) only for readers who may see that team (docs/PERMISSIONS.md, "Explanations").
 */
export function explanationFor(explanation: Explanation, maySeeTeam: (teamId: string | null, agentId: string) => boolean): Explanation {
  if (explanation.kind !== 'routing') return explanation;
  return {
    ...explanation,
    candidates: explanation.candidates.map((candidate) =>
      maySeeTeam(candidate.teamId, candidate.agentId) ? candidate : { ...candidate, open: null, capacity: null, idleMinutes: null },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain words

/** Names by id, for the agents an explanation mentions. */
export type NameOf = (agentId: string) => string;

const skillNames: Record<string, { en: string; 'zh-CN': string }> = {
  billing: { en: 'billing', 'zh-CN': '账单' },
  cards: { en: 'cards', 'zh-CN': '银行卡' },
  transfers: { en: 'transfers', 'zh-CN': '转账' },
  technical: { en: 'technical problems', 'zh-CN': '技术问题' },
};
const skillName = (skill: string, language: ExplanationLanguage) => skillNames[skill]?.[language] ?? skill;
const percent = (value: number) => `${Math.round(value * 100)}%`;
/** A stored instant as "2026-12-07 10:05 UTC": the same words for every reader, whatever their zone. */
const instant = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

interface Words {
  list(items: string[]): string;
  /** Sentences one after another (Chinese sets no space after 。). */
  sentences(items: string[]): string;
  assigned(name: string, reasons: string[]): string;
  queued(reason: string): string;
  passedOver(items: string[]): string;
  considered(items: string[]): string;
  more(count: number): string;
  online: string;
  knows(skill: string): string;
  lacksSkillFallback(skill: string): string;
  load(open: number, capacity: number): string;
  onlyFree: string;
  fewest: string;
  idleLongest(minutes: number | null): string;
  verdict(candidate: RoutingCandidate, skill: string | null): string;
  overflow: string;
  nobodyOnline: string;
  nobodyFree: string;
  nobodyAtAll: string;
  metric: Record<SlaMetric, string>;
  action: Record<EscalationStep['action'], string>;
  escalated(e: EscalationExplanation, metric: string, action: string): string;
  botAnswered(confidence: string, threshold: string | null, calibrated: boolean | null): string;
  botClarifying(confidence: string): string;
  botDeclined(reason: string): string;
  declineReason(reason: string | null, confidence: string, threshold: string | null): string;
  bestMatches(items: string[]): string;
  ruleMatched(name: string, trigger: string): string;
  ruleAlways: string;
  ruleMode: Record<'all' | 'any', string>;
  held(trace: RuleConditionTrace): string;
}

const minutes = (value: number | null, language: ExplanationLanguage) =>
  value === null ? (language === 'en' ? 'never assigned' : '从未分配') : language === 'en' ? `${value} min` : `${value} 分钟`;
const shown = (value: unknown): string => (Array.isArray(value) ? value.map(shown).join(', ') : value === null || value === undefined ? '—' : String(value));

const en: Words = {
  list: (items) => items.join(', '),
  sentences: (items) => items.join(' '),
  assigned: (name, reasons) => `Assigned to ${name}: ${reasons.join(', ')}.`,
  queued: (reason) => `Nobody was assigned: ${reason}.`,
  passedOver: (items) => `Passed over: ${items.join(', ')}.`,
  considered: (items) => `Considered: ${items.join(', ')}.`,
  more: (count) => `${count} more`,
  online: 'online',
  knows: (skill) => `knows ${skill}`,
  lacksSkillFallback: (skill) => `nobody who knows ${skill} had a free seat`,
  load: (open, capacity) => `${open} of ${capacity} conversations open`,
  onlyFree: 'the only one with a free seat',
  fewest: 'fewest open conversations',
  idleLongest: (value) => `idle longest (${minutes(value, 'en')})`,
  verdict(candidate, skill) {
    const load = candidate.open !== null && candidate.capacity !== null ? ` ${candidate.open}/${candidate.capacity}` : '';
    switch (candidate.verdict) {
      case 'chosen':
        return 'chosen';
      case 'offline':
        return 'offline';
      case 'away':
        return 'away';
      case 'at_capacity':
        return `at capacity${load}`;
      case 'lacks_skill':
        return `does not know ${skill ? skillName(skill, 'en') : '—'}`;
      case 'more_load':
        return candidate.open !== null ? `more conversations open (${candidate.open})` : 'more conversations open';
      case 'idle_less':
        return candidate.idleMinutes !== null ? `idle for less time (${minutes(candidate.idleMinutes, 'en')})` : 'idle for less time';
      case 'tie':
        return 'same load and idle time, chosen by a stable order';
    }
  },
  overflow: 'No junior agent could take it, so it went to the experts.',
  nobodyOnline: 'nobody who could take it is online',
  nobodyFree: 'every online agent who could take it is at capacity',
  nobodyAtAll: 'there is no agent for this tier and team',
  metric: { first_response: 'first response', next_response: 'next response', resolution: 'resolution' },
  action: {
    notify: 'notify the assignee and the team lead',
    raise_priority: 'raise the priority',
    move_to_expert: 'move to the expert tier',
    reassign_to_lead: 'reassign to the team lead',
  },
  escalated: (e, metric, action) =>
    `Escalated because the ${metric} target was missed${e.dueAt ? ` (due ${instant(e.dueAt)})` : ''}: step ${e.step} of ${e.steps} of the ${e.policyName ? `"${e.policyName}" ` : ''}ladder, ${action}, at ${instant(e.escalatedAt)}.`,
  botAnswered: (confidence, threshold, calibrated) =>
    `The bot answered: confidence ${confidence}${threshold ? ` reached the threshold ${threshold}` : ''}${calibrated ? ' (calibrated on this knowledge base)' : ''}.`,
  botClarifying: (confidence) => `The bot asked which article was meant: two articles matched closely (confidence ${confidence}).`,
  botDeclined: (reason) => `The bot did not answer: ${reason}.`,
  declineReason(reason, confidence, threshold) {
    switch (reason) {
      case 'low_confidence':
        return `confidence ${confidence} is below the threshold${threshold ? ` ${threshold}` : ''}`;
      case 'no_articles':
        return 'there are no published articles to answer from';
      case 'empty_question':
        return 'the message has no question in it';
      case 'not_in_articles':
        return 'the articles do not contain the answer';
      case 'invalid_citation':
        return "the model's answer cited no article it was given";
      case 'asked_for_person':
        return 'the customer asked for a person';
      default:
        return reason ?? 'no reason was recorded';
    }
  },
  bestMatches: (items) => `Best matches: ${items.join(', ')}.`,
  ruleMatched: (name, trigger) => `Rule "${name}" ran on ${trigger}`,
  ruleAlways: ': it has no conditions.',
  ruleMode: { all: ': every condition held', any: ': at least one condition held' },
  held: (trace) => `${trace.field} ${trace.op} ${shown(trace.expected)} (seen: ${shown(trace.seen)}, ${trace.held ? 'held' : 'did not hold'})`,
};

const zh: Words = {
  list: (items) => items.join('，'),
  sentences: (items) => items.join(''),
  assigned: (name, reasons) => `已分配给 ${name}：${reasons.join('，')}。`,
  queued: (reason) => `未分配：${reason}。`,
  passedOver: (items) => `未选：${items.join('，')}。`,
  considered: (items) => `考虑过：${items.join('，')}。`,
  more: (count) => `另有 ${count} 人`,
  online: '在线',
  knows: (skill) => `擅长${skill}`,
  lacksSkillFallback: (skill) => `擅长${skill}的客服都没有空位`,
  load: (open, capacity) => `进行中 ${open}/${capacity} 个会话`,
  onlyFree: '唯一有空位的客服',
  fewest: '进行中的会话最少',
  idleLongest: (value) => `空闲最久（${minutes(value, 'zh-CN')}）`,
  verdict(candidate, skill) {
    const load = candidate.open !== null && candidate.capacity !== null ? ` ${candidate.open}/${candidate.capacity}` : '';
    switch (candidate.verdict) {
      case 'chosen':
        return '已选';
      case 'offline':
        return '离线';
      case 'away':
        return '离开';
      case 'at_capacity':
        return `已满${load}`;
      case 'lacks_skill':
        return `不擅长${skill ? skillName(skill, 'zh-CN') : '—'}`;
      case 'more_load':
        return candidate.open !== null ? `进行中的会话更多（${candidate.open}）` : '进行中的会话更多';
      case 'idle_less':
        return candidate.idleMinutes !== null ? `空闲时间更短（${minutes(candidate.idleMinutes, 'zh-CN')}）` : '空闲时间更短';
      case 'tie':
        return '负载和空闲时间相同，按固定顺序选择';
    }
  },
  overflow: '初级客服都无法接待，已转给专家。',
  nobodyOnline: '能接待的客服都不在线',
  nobodyFree: '在线且能接待的客服都已满',
  nobodyAtAll: '这个级别和团队没有客服',
  metric: { first_response: '首次响应', next_response: '下次响应', resolution: '解决' },
  action: {
    notify: '通知负责人和团队主管',
    raise_priority: '提高优先级',
    move_to_expert: '转到专家级',
    reassign_to_lead: '改派给团队主管',
  },
  escalated: (e, metric, action) =>
    `已升级，因为${metric}目标未达成${e.dueAt ? `（截止 ${instant(e.dueAt)}）` : ''}：${e.policyName ? `“${e.policyName}”` : ''}升级阶梯第 ${e.step}/${e.steps} 步，${action}，时间 ${instant(e.escalatedAt)}。`,
  botAnswered: (confidence, threshold, calibrated) =>
    `机器人已回答：置信度 ${confidence}${threshold ? `，达到阈值 ${threshold}` : ''}${calibrated ? '（按本知识库校准）' : ''}。`,
  botClarifying: (confidence) => `机器人询问客户指的是哪篇文章：有两篇文章非常接近（置信度 ${confidence}）。`,
  botDeclined: (reason) => `机器人没有回答：${reason}。`,
  declineReason(reason, confidence, threshold) {
    switch (reason) {
      case 'low_confidence':
        return `置信度 ${confidence} 低于阈值${threshold ? ` ${threshold}` : ''}`;
      case 'no_articles':
        return '没有可用于回答的已发布文章';
      case 'empty_question':
        return '消息中没有问题';
      case 'not_in_articles':
        return '文章中没有答案';
      case 'invalid_citation':
        return '模型的回答没有引用提供给它的文章';
      case 'asked_for_person':
        return '客户要求人工服务';
      default:
        return reason ?? '没有记录原因';
    }
  },
  bestMatches: (items) => `最佳匹配：${items.join('，')}。`,
  ruleMatched: (name, trigger) => `规则“${name}”在 ${trigger} 时运行`,
  ruleAlways: '：它没有条件。',
  ruleMode: { all: '：所有条件都成立', any: '：至少一个条件成立' },
  held: (trace) => `${trace.field} ${trace.op} ${shown(trace.expected)}（实际：${shown(trace.seen)}，${trace.held ? '成立' : '不成立'}）`,
};

const wordsOf = (language: ExplanationLanguage): Words => (language === 'en' ? en : zh);

function describeRouting(explanation: RoutingExplanation, nameOf: NameOf, language: ExplanationLanguage): string {
  const words = wordsOf(language);
  const skill = explanation.skill;
  const chosen = explanation.candidates.find((candidate) => candidate.verdict === 'chosen');
  const others = explanation.candidates.filter((candidate) => candidate.verdict !== 'chosen');
  const named = (candidate: RoutingCandidate) =>
    language === 'en'
      ? `${nameOf(candidate.agentId)} (${words.verdict(candidate, skill)})`
      : `${nameOf(candidate.agentId)}（${words.verdict(candidate, skill)}）`;
  const listed = [...others.map(named), ...(explanation.more > 0 ? [words.more(explanation.more)] : [])];
  if (!chosen) {
    const anyOnline = others.some((candidate) => candidate.presence === 'online');
    const reason = others.length === 0 && explanation.more === 0 ? words.nobodyAtAll : anyOnline ? words.nobodyFree : words.nobodyOnline;
    return words.sentences([words.queued(reason), ...(listed.length ? [words.considered(listed)] : [])]);
  }
  const reasons = [words.online];
  if (skill) reasons.push(explanation.skillFallback ? words.lacksSkillFallback(skillName(skill, language)) : words.knows(skillName(skill, language)));
  if (chosen.open !== null && chosen.capacity !== null) reasons.push(words.load(chosen.open, chosen.capacity));
  const rivals = others.filter((candidate) => candidate.verdict === 'more_load' || candidate.verdict === 'idle_less' || candidate.verdict === 'tie');
  if (rivals.length === 0) reasons.push(words.onlyFree);
  else if (rivals.some((candidate) => candidate.verdict !== 'more_load')) reasons.push(words.idleLongest(chosen.idleMinutes));
  else reasons.push(words.fewest);
  const sentences = [words.assigned(nameOf(chosen.agentId), reasons)];
  if (explanation.overflow) sentences.push(words.overflow);
  if (listed.length) sentences.push(words.passedOver(listed));
  return words.sentences(sentences);
}

function describeBot(explanation: BotExplanation, language: ExplanationLanguage): string {
  const words = wordsOf(language);
  const confidence = percent(explanation.confidence);
  const threshold = explanation.threshold === null ? null : percent(explanation.threshold);
  const first =
    explanation.outcome === 'answered'
      ? words.botAnswered(confidence, threshold, explanation.calibrated)
      : explanation.outcome === 'clarifying'
        ? words.botClarifying(confidence)
        : words.botDeclined(words.declineReason(explanation.reason, confidence, threshold));
  const matches = explanation.alternatives.map((alternative) =>
    language === 'en' ? `${alternative.title} (${percent(alternative.score)})` : `${alternative.title}（${percent(alternative.score)}）`,
  );
  return words.sentences([first, ...(matches.length ? [words.bestMatches(matches)] : [])]);
}

function describeRule(explanation: RuleExplanation, language: ExplanationLanguage): string {
  const words = wordsOf(language);
  const head = words.ruleMatched(explanation.ruleName, explanation.trigger);
  if (explanation.mode === 'always' || explanation.conditions.length === 0) return `${head}${words.ruleAlways}`;
  const end = language === 'en' ? '.' : '。';
  return `${head}${words.ruleMode[explanation.mode]}${language === 'en' ? ': ' : '：'}${words.list(explanation.conditions.map(words.held))}${end}`;
}

/** The explanation in plain words, in the reader's language. */
export function describeExplanation(explanation: Explanation, nameOf: NameOf, language: ExplanationLanguage): string {
  switch (explanation.kind) {
    case 'routing':
      return describeRouting(explanation, nameOf, language);
    case 'escalation': {
      const words = wordsOf(language);
      return words.escalated(explanation, words.metric[explanation.metric], words.action[explanation.action]);
    }
    case 'bot':
      return describeBot(explanation, language);
    case 'rule':
      return describeRule(explanation, language);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const explanationKinds: ReadonlySet<string> = new Set(['routing', 'escalation', 'bot', 'rule']);

/** The explanation an event's payload carries, if any (events written before explanations have none). */
export function explanationOf(payload: unknown): Explanation | null {
  if (!isRecord(payload) || !isRecord(payload.explanation)) return null;
  return explanationKinds.has(String(payload.explanation.kind)) ? (payload.explanation as unknown as Explanation) : null;
}

/** A payload without its explanation: what the journey and the realtime stream carry (the explanation is read apart, per reader). */
export function withoutExplanation<Payload extends Record<string, unknown>>(payload: Payload): Payload {
  if (!('explanation' in payload)) return payload;
  const { explanation: _explanation, ...rest } = payload;
  return rest as Payload;
}

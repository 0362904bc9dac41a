// The reports leads ask for beyond the overview (domain/report-overview.ts): how conversations
// were resolved (first contact, by the bot), each agent's figures, and the busiest hours. Here are
// their definitions, shapes and CSVs; api/services/report-insights.ts reads the figures with SQL.
// Definitions, over a period [from, to):
// - resolved: conversations resolved in the period (`resolvedAt`, status resolved or closed), as
//   in the overview.
// - firstContact: of the resolved conversations a person replied to (at least one public agent
//   reply: `personHandled`), those resolved with exactly one public agent reply and never
//   reopened (no `conversation.reopened` event). Rate = firstContact / personHandled.
// - aiResolved: resolved conversations the bot resolved without a person: a `bot.helpful` or
//   `bot.assumed_resolved` event, no public agent reply, no hand-off (`bot.handed_off`), and
//   either the customer confirmed the answer helped (`bot.helpful`) or the conversation was not
//   reopened within `aiResolutionReopenDays` days of the bot's resolution. Rates: of all resolved
//   conversations, and of those the bot answered (`bot.answered`).
// - agents, per person: handled = conversations they replied to publicly in the period; resolved
//   = conversations resolved in the period assigned to them, with the median minutes from creation
//   to resolution; first responses = conversations whose first public agent reply (ever) was
//   theirs and falls in the period, with the median minutes from creation; CSAT = each
//   conversation's latest rating given in the period, counted for the conversation's assignee.
// - busiestHours: conversations created in the period by local weekday (Monday first) and hour,
//   in the report's time zone (the organisation's by default, the one business hours are set in).
// Durations are wall-clock minutes (business hours ignored), rounded to 1/100.
import { z } from 'zod';
import { checkReportPeriod, csvDocument, csvNumber, reportQueryFields, roundMinutes, wordsIn, writtenIn, type CsvLanguage } from './report-overview.js';

/** After the bot resolves a conversation, a reopening within this many days means it did not. */
export const aiResolutionReopenDays = 7;

export const insightsQuerySchema = z.strictObject(reportQueryFields).transform(checkReportPeriod);
export type InsightsQueryInput = z.infer<typeof insightsQuerySchema>;

interface PeriodFields {
  from: string;
  to: string;
  timeZone: string;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

// ---- Resolution: first contact and by the bot ----

export interface ResolutionCounts {
  resolved: number;
  personHandled: number;
  firstContact: number;
  botAnswered: number;
  aiResolved: number;
}

export interface ResolutionReport extends PeriodFields, ResolutionCounts {
  firstContactRate: number | null;
  aiResolutionRate: number | null;
  /** aiResolved / botAnswered: how often the bot's answer ended the conversation. */
  aiResolutionRateOfAnswered: number | null;
  reopenDays: number;
}

export function resolutionReport(period: PeriodFields, counts: ResolutionCounts): ResolutionReport {
  return {
    ...period,
    ...counts,
    firstContactRate: share(counts.firstContact, counts.personHandled),
    aiResolutionRate: share(counts.aiResolved, counts.resolved),
    aiResolutionRateOfAnswered: share(counts.aiResolved, counts.botAnswered),
    reopenDays: aiResolutionReopenDays,
  };
}

// ---- Agents ----

export interface AgentFigures {
  userId: string;
  name: string;
  handled: number;
  resolved: number;
  resolutionMedian: number | null;
  firstResponses: number;
  firstResponseMedian: number | null;
  csatCount: number;
  csatAverage: number | null;
  csatSatisfiedRate: number | null;
}

export interface AgentsReport extends PeriodFields {
  agents: AgentFigures[];
}

/** One query's rows, per user. */
export interface AgentRows {
  handled: { userId: string; count: number }[];
  resolved: { userId: string; count: number; median: number | null }[];
  firstResponse: { userId: string; count: number; median: number | null }[];
  csat: { userId: string; count: number; average: number | null; satisfied: number }[];
}

/** Every person with a figure in the period, by name (then id); people without any are left out. */
export function agentsReport(period: PeriodFields, rows: AgentRows, names: ReadonlyMap<string, string>): AgentsReport {
  const byUser = new Map<string, AgentFigures>();
  const of = (userId: string) => {
    let figures = byUser.get(userId);
    if (!figures) {
      figures = {
        userId,
        name: names.get(userId) ?? '',
        handled: 0,
        resolved: 0,
        resolutionMedian: null,
        firstResponses: 0,
        firstResponseMedian: null,
        csatCount: 0,
        csatAverage: null,
        csatSatisfiedRate: null,
      };
      byUser.set(userId, figures);
    }
    return figures;
  };
  for (const row of rows.handled) of(row.userId).handled = row.count;
  for (const row of rows.resolved) Object.assign(of(row.userId), { resolved: row.count, resolutionMedian: roundMinutes(row.median) });
  for (const row of rows.firstResponse) Object.assign(of(row.userId), { firstResponses: row.count, firstResponseMedian: roundMinutes(row.median) });
  for (const row of rows.csat) {
    Object.assign(of(row.userId), { csatCount: row.count, csatAverage: row.average, csatSatisfiedRate: share(row.satisfied, row.count) });
  }
  const agents = [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.userId.localeCompare(b.userId));
  return { ...period, agents };
}

// ---- Busiest hours ----

export interface BusiestHoursReport extends PeriodFields {
  /** Seven rows, Monday first, of 24 counts (local hours 0-23). */
  cells: number[][];
  total: number;
  /** The largest cell, 0 without any conversation. */
  max: number;
}

export function busiestHoursReport(period: PeriodFields, rows: { weekday: number; hour: number; count: number }[]): BusiestHoursReport {
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const row of rows) {
    const line = cells[row.weekday - 1];
    if (line && row.hour >= 0 && row.hour < 24) line[row.hour] = row.count;
  }
  const flat = cells.flat();
  return { ...period, cells, total: flat.reduce((sum, count) => sum + count, 0), max: Math.max(0, ...flat) };
}

// ---- CSV (csvDocument: RFC 4180, UTF-8 with a byte order mark) ----

const words = {
  en: {
    figure: 'Figure',
    count: 'Count',
    of: 'Of',
    rate: 'Rate',
    firstContact: 'First-contact resolution (of conversations a person replied to)',
    aiResolved: 'AI resolution (of resolved conversations)',
    aiOfAnswered: 'AI resolution (of conversations the bot answered)',
    agent: 'Agent',
    agentColumns: [
      'Handled',
      'Resolved',
      'Resolution median (min)',
      'First responses',
      'First response median (min)',
      'CSAT ratings',
      'CSAT average',
      'CSAT satisfied (4-5)',
    ],
    weekday: 'Weekday',
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  },
  'zh-CN': {
    figure: '指标',
    count: '数量',
    of: '基数',
    rate: '比率',
    firstContact: '首次联系解决率（有人工回复的会话）',
    aiResolved: 'AI 解决率（已解决会话）',
    aiOfAnswered: 'AI 解决率（机器人回答过的会话）',
    agent: '客服',
    agentColumns: [
      '处理会话',
      '已解决',
      '解决时长中位数（分钟）',
      '首次响应数',
      '首次响应中位数（分钟）',
      'CSAT 评分数',
      'CSAT 平均分',
      'CSAT 满意率（4-5 分）',
    ],
    weekday: '星期',
    weekdays: ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
  },
} as const;

/** Three rows under a header: each rate with its count and base. */
export function resolutionCsv(report: ResolutionReport, language: CsvLanguage): string {
  const w = words[writtenIn(language.locale)];
  const say = wordsIn(language);
  const row = (label: string, count: number, of: number, rate: number | null) => [say(label), String(count), String(of), csvNumber(rate)];
  return csvDocument([
    [w.figure, w.count, w.of, w.rate].map(say),
    row(w.firstContact, report.firstContact, report.personHandled, report.firstContactRate),
    row(w.aiResolved, report.aiResolved, report.resolved, report.aiResolutionRate),
    row(w.aiOfAnswered, report.aiResolved, report.botAnswered, report.aiResolutionRateOfAnswered),
  ]);
}

/** A row per agent, in the report's order. */
export function agentsCsv(report: AgentsReport, language: CsvLanguage): string {
  const w = words[writtenIn(language.locale)];
  return csvDocument([
    [w.agent, ...w.agentColumns].map(wordsIn(language)),
    ...report.agents.map((a) =>
      [a.handled, a.resolved, a.resolutionMedian, a.firstResponses, a.firstResponseMedian, a.csatCount, a.csatAverage, a.csatSatisfiedRate].reduce<string[]>(
        (line, value) => [...line, csvNumber(value)],
        [a.name],
      ),
    ),
  ]);
}

/** A row per weekday (Monday first), a column per local hour 00-23. */
export function busiestHoursCsv(report: BusiestHoursReport, language: CsvLanguage): string {
  const w = words[writtenIn(language.locale)];
  const say = wordsIn(language);
  const hours = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`);
  return csvDocument([[say(w.weekday), ...hours], ...report.cells.map((line, day) => [say(w.weekdays[day] ?? ''), ...line.map(String)])]);
}

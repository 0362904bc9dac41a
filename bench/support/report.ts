// The report's verdicts against the product targets, and the human table printed after the JSON.
import type { LatencySummary } from './stats.js';

export interface Target {
  name: string;
  target: string;
  actual: number | null;
  /** null when the run could not measure it. */
  pass: boolean | null;
}

// The report is a plain JSON object assembled in load.ts; this module only reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Report = Record<string, any>;

export function buildTargets(report: Report): Target[] {
  const messages = (report.messagesPerSecondAccepted as number | null | undefined) ?? null;
  const p99 = (report.deliveryLatencyMs as LatencySummary | undefined)?.p99 ?? null;
  const ratio = (report.ratios?.conversationsPerSecondOverBareWorkflowStarts as number | null | undefined) ?? null;
  // A paced run (--rate) sends at the rate asked for: it does not measure the throughput ceiling.
  const paced = Boolean(report.options?.rate);
  return [
    {
      name: 'messagesPerSecond',
      target: paced ? '>= 2000 messages/s accepted (not measured: paced with --rate)' : '>= 2000 messages/s accepted',
      actual: messages,
      pass: messages === null || paced ? null : messages >= 2000,
    },
    { name: 'deliveryP99Ms', target: '< 100 ms send → agent socket, p99', actual: p99, pass: p99 === null ? null : p99 < 100 },
    { name: 'conversationStartRatio', target: '>= 0.8 × bare workflow starts/s', actual: ratio, pass: ratio === null ? null : ratio >= 0.8 },
  ];
}

const show = (value: unknown, unit = ''): string => (value === null || value === undefined ? '-' : `${String(value)}${unit}`);
const percentiles = (summary: LatencySummary | undefined | null): string =>
  summary && summary.count ? `${show(summary.p50)} / ${show(summary.p95)} / ${show(summary.p99)} / ${show(summary.max)}` : '-';
const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');

export function renderTable(report: Report): string {
  const rows: string[][] = [['metric', 'Seamless', 'baseline', 'ratio']];
  const raw = report.baseline?.rawInsertBroadcast as Report | null | undefined;
  const bare = report.baseline?.bareWorkflowStarts as Report | null | undefined;
  rows.push([
    'messages accepted /s',
    show(report.messagesPerSecondAccepted),
    raw ? `${show(raw.messagesPerSecond)} (raw INSERT+ws)` : '-',
    show(report.ratios?.messagesPerSecondOverRawBaseline),
  ]);
  rows.push([
    'delivery ms p50/p95/p99/max',
    percentiles(report.deliveryLatencyMs),
    raw ? percentiles(raw.delivery?.latencyMs) : '-',
    show(report.ratios?.deliveryP99OverRawBaseline),
  ]);
  rows.push(['message HTTP ms p50/p95/p99/max', percentiles(report.messages?.httpLatencyMs), raw ? percentiles(raw.httpLatencyMs) : '-', '']);
  rows.push([
    'messages delivered / accepted',
    report.messages ? `${report.messages.delivery.delivered} / ${report.messages.accepted} of ${report.messages.attempted}` : '-',
    raw ? `${raw.delivery.delivered} / ${raw.accepted} of ${raw.attempted}` : '-',
    '',
  ]);
  rows.push([
    'conversations started /s',
    show(report.conversationsPerSecond),
    bare ? `${show(bare.startsPerSecond)} (bare workflow)` : '-',
    show(report.ratios?.conversationsPerSecondOverBareWorkflowStarts),
  ]);
  rows.push(['conversation HTTP ms p50/p95/p99/max', percentiles(report.conversations?.httpLatencyMs), bare ? percentiles(bare.startLatencyMs) : '-', '']);
  rows.push(['routing ms p50/p95/p99/max (201→assigned)', percentiles(report.conversations?.routing?.latencyMs), '', '']);
  rows.push([
    'conversations created / routed',
    report.conversations ? `${report.conversations.created} / ${report.conversations.routing.assigned} of ${report.conversations.attempted}` : '-',
    bare ? `${bare.started} of ${bare.attempted}` : '-',
    '',
  ]);

  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  const machine = report.machine as Report;
  out.push(`Seamless load bench (${report.mode ?? '?'}), ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; ${report.durationS ?? '?'} s`);
  if (report.mode === 'external') {
    out.push(`target: a running system at ${String(report.options?.apiUrl)}; if it runs on this machine, its CPU shows as otherProcesses`);
  } else {
    out.push(`bench client, API, worker, PostgreSQL and Temporal (dev server, in-memory SQLite) share these ${machine.cpus} cores`);
  }
  out.push('');
  out.push(line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) out.push(line(row));
  out.push('');
  out.push('targets');
  for (const target of report.targets as Target[])
    out.push(`  ${verdict(target.pass).padEnd(4)}  ${target.name.padEnd(24)} ${show(target.actual).padEnd(10)} (${target.target})`);
  const phases = Object.entries((report.cpuByPhase ?? {}) as Record<string, Report>);
  if (phases.length) {
    out.push('', 'CPU per phase: cores used on average (machine busy share); bench event-loop delay p99');
    for (const [phase, usage] of phases) {
      const loop = report.clientEventLoopDelayMs?.[phase] as { p99: number } | undefined;
      const groups = Object.entries(usage.coresUsed as Record<string, number>)
        .filter(([, cores]) => cores >= 0.01)
        .sort((a, b) => b[1] - a[1])
        .map(([group, cores]) => `${group} ${cores}`)
        .join(', ');
      const busy = show(usage.machineBusyShare === null ? null : Math.round(usage.machineBusyShare * 100), '%');
      out.push(`  ${phase.padEnd(20)} ${show(usage.wallS, ' s').padEnd(8)} busy ${busy.padEnd(5)} ${groups}; loop p99 ${show(loop?.p99, ' ms')}`);
    }
  }
  const failures = [
    ...((report.conversations?.endpoints ?? []) as Report[]),
    ...((report.messages?.endpoints ?? []) as Report[]),
    ...((raw?.endpoints ?? []) as Report[]),
  ].filter((endpoint) => endpoint.failed > 0);
  if (failures.length) {
    out.push('', 'failed requests');
    for (const endpoint of failures) {
      out.push(`  ${endpoint.endpoint}: ${endpoint.failed} failed, statuses ${JSON.stringify(endpoint.statuses)}`);
      for (const sample of endpoint.failureSamples as Report[]) out.push(`    ${sample.status} ${sample.body}`);
    }
  }
  if ((report.notes as string[] | undefined)?.length) out.push('', 'notes', ...(report.notes as string[]).map((note) => `  - ${note}`));
  if ((report.errors as string[] | undefined)?.length) out.push('', 'errors', ...(report.errors as string[]).map((error) => `  ! ${error}`));
  return out.join('\n');
}

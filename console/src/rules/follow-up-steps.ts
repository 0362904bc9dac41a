// The rule action `start_follow_up` edits its steps as text, one step a line: its wait and its
// message ("2d Did that solve it, {{contact.name}}?"; waits in d, h or m), and a last line
// `resolve` to resolve the conversation after the last step. A line that does not start with a
// wait keeps its text with a wait of 0, which the server refuses on that step's afterMinutes.
import type { FollowUpStep } from '../../../domain/follow-ups';

const unitMinutes = { d: 24 * 60, h: 60, m: 1 } as const;
const resolveLine = 'resolve';

const waitText = (minutes: number): string =>
  minutes > 0 && minutes % unitMinutes.d === 0
    ? `${minutes / unitMinutes.d}d`
    : minutes > 0 && minutes % unitMinutes.h === 0
      ? `${minutes / unitMinutes.h}h`
      : `${minutes}m`;

export function followUpStepsText(steps: readonly FollowUpStep[]): string {
  const lines = steps.map((step) => `${waitText(step.afterMinutes)} ${step.text}`);
  return [...lines, ...(steps.at(-1)?.then === 'resolve' ? [resolveLine] : [])].join('\n');
}

export function followUpStepsOf(text: string): FollowUpStep[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const resolves = lines.length > 1 && lines.at(-1)?.toLowerCase() === resolveLine;
  const steps = (resolves ? lines.slice(0, -1) : lines).map((line): FollowUpStep => {
    const match = /^(\d+)\s*([dhm])\s+(.+)$/i.exec(line);
    if (!match) return { afterMinutes: 0, text: line };
    return { afterMinutes: Number(match[1]) * unitMinutes[match[2]!.toLowerCase() as keyof typeof unitMinutes], text: match[3]! };
  });
  if (resolves && steps.length) steps[steps.length - 1] = { ...steps[steps.length - 1]!, then: 'resolve' };
  return steps;
}

// The Temporal baseline's workflow: does nothing and returns at once, so starting it measures
// only what a workflow start costs on this Temporal server (bench/support/temporal-baseline.ts).
export async function bareWorkflow(): Promise<string> {
  return 'done';
}

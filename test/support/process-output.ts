// What a child process prints, collected for a test: everything so far (for failure messages)
// and a wait for a text or pattern, already printed or still to come, that fails when the
// process exits without printing it. Shared by the service and supervisor child processes.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface ProcessOutput {
  /** Everything the process wrote so far (stdout and stderr). */
  text(): string;
  /** Resolves with what matched once the process printed `pattern` (from offset `after` on); rejects after timeoutMs or when it exits first. */
  waitFor(pattern: string | RegExp, timeoutMs?: number, after?: number): Promise<RegExpMatchArray | string>;
}

export function watchOutput(child: Pick<ChildProcessWithoutNullStreams, 'stdout' | 'stderr'>, exited: Promise<unknown>, name: string): ProcessOutput {
  let output = '';
  let hasExited = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    notify();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  void exited.then(() => {
    hasExited = true;
    notify();
  });

  const waitFor = (pattern: string | RegExp, timeoutMs = 60_000, after = 0) =>
    new Promise<RegExpMatchArray | string>((resolve, reject) => {
      const find = () => {
        const text = output.slice(after);
        return typeof pattern === 'string' ? (text.includes(pattern) ? pattern : null) : text.match(pattern);
      };
      const timer = setTimeout(() => done(new Error(`${name} did not print ${String(pattern)} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const check = () => {
        const found = find();
        if (found) done(undefined, found);
        else if (hasExited) done(new Error(`${name} exited before printing ${String(pattern)}:\n${output}`));
      };
      const done = (error?: Error, found?: RegExpMatchArray | string) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(found!);
      };
      listeners.add(check);
      check();
    });

  return { text: () => output, waitFor };
}

// `npm run checks`: the type check and the lint side by side (each is one process on one core; on
// the 2-core CI machine together they take the time of the longer one, not the sum). Each one's
// output is printed whole when it ends, so the two never interleave; the exit code is the first
// failure's, or 0.
import { spawn } from 'node:child_process';

const checks = ['typecheck', 'lint'];

function run(script: string): Promise<{ script: string; code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code, signal) =>
      resolve({ script, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8'), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

const results = await Promise.all(checks.map(run));
for (const { script, code, output, seconds } of results) {
  process.stdout.write(`\n> ${script}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s\n${output}`);
}
process.exitCode = results.find((result) => result.code !== 0)?.code ?? 0;

// `npm run admin:create`: creates an admin, e.g. the first one of a production deployment (which
// seeds no users). Reads ADMIN_EMAIL, ADMIN_NAME and ADMIN_PASSWORD from the environment and asks
// on the terminal for what is missing (the password without echo); without a terminal it reads
// the missing values from stdin, one per line, in that order. Also writes the base records
// (organisation, channels) if they are missing, so a fresh deployment is ready after it.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ZodError } from 'zod';
import { AdminExistsError, createAdmin } from '../infra/auth/first-admin.js';
import { createDb } from '../infra/db.js';
import { parseEnv } from '../infra/env.js';
import { ensureConfiguredPostgres } from '../infra/local/postgres.js';
import { seedBaseData } from '../prisma/seed.js';

const env = parseEnv();

/** Lines from stdin: asked one by one on a terminal (hidden for the password), read in order otherwise. */
function prompter() {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const lines = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  const queue: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  lines.on('line', (line) => (waiting.length ? waiting.shift()!(line) : queue.push(line)));
  lines.on('close', () => waiting.splice(0).forEach((resolve) => resolve(null)));
  return {
    async ask(question: string, hidden = false): Promise<string> {
      if (process.stdin.isTTY) process.stdout.write(question);
      muted = hidden;
      const line = queue.length ? queue.shift()! : await new Promise<string | null>((resolve) => waiting.push(resolve));
      muted = false;
      if (hidden && process.stdin.isTTY) process.stdout.write('\n');
      if (line === null) throw new Error(`no input for "${question.trim()}"`);
      return line.trim();
    },
    close: () => lines.close(),
  };
}

const input = prompter();
const postgres = await ensureConfiguredPostgres(env);
const db = createDb(postgres.url, { poolSize: 2 });
let code = 0;
try {
  const email = process.env.ADMIN_EMAIL ?? (await input.ask('Email: '));
  const name = process.env.ADMIN_NAME ?? (await input.ask('Name: '));
  const password = process.env.ADMIN_PASSWORD ?? (await input.ask('Password (12+ characters): ', true));
  await seedBaseData(db);
  const admin = await createAdmin(db, { email, name, password });
  console.log(`admin ${admin.email} created: sign in to the console with this email and password`);
} catch (error) {
  code = 1;
  if (error instanceof ZodError) console.error(`admin not created: ${error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  else if (error instanceof AdminExistsError) console.error(`admin not created: ${error.message}`);
  else console.error(`admin not created: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  input.close();
  await db.$disconnect();
  await postgres.stop();
}
process.exit(code);

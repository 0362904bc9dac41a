// The key that signs visitor tokens: SEAMLESS_SECRET. Required in production (NODE_ENV=production):
// a key made up by each machine would differ between API processes and vanish with a container,
// signing every visitor out. Locally (the demo) a random key is kept under the data folder, so
// tokens survive restarts without any setup.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Thrown in production without SEAMLESS_SECRET; its message says what to do. */
export class MissingSecretError extends Error {
  constructor() {
    super(
      'SEAMLESS_SECRET is not set. With NODE_ENV=production Seamless does not start without it: it signs visitor tokens and must be the same for every API process. ' +
        'Set it to a random string of at least 32 characters, e.g. SEAMLESS_SECRET=$(openssl rand -hex 32).',
    );
    this.name = 'MissingSecretError';
  }
}

/** SEAMLESS_SECRET; else, unless `production` (then MissingSecretError), the key kept under `dataDir`. */
export function loadSecret(configured: string | undefined, dataDir: string, options: { production?: boolean } = {}): string {
  if (configured) return configured;
  if (options.production) throw new MissingSecretError();
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

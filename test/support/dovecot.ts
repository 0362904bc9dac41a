// A real IMAP server for tests: Debian's Dovecot (dovecot-imapd), installed with apt when missing
// (like Chromium in browser.ts), started with its own configuration in a temporary folder on a free
// loopback port, unprivileged: as the current user, or as `nobody` when the tests run as root
// (Dovecot refuses mail access as root). Plain-text login over loopback, one test user with a
// password from a passwd-file, Maildir storage inside the temporary folder. Nothing outside that
// folder is touched, so any number of these can run side by side with a system Dovecot.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface DovecotServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** The temporary folder with the configuration, the log and the Maildir. */
  dir: string;
  /** Options for `new ImapFlow(...)` that log in as the test user. */
  imapOptions(): { host: string; port: number; secure: false; auth: { user: string; pass: string }; logger: false };
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

function findDovecot(): string | null {
  for (const candidate of [process.env.DOVECOT_PATH, '/usr/sbin/dovecot']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The dovecot binary, installed from Debian's packages when missing and the tests run as root. */
export function ensureDovecot(): string {
  const found = findDovecot();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!canInstall) throw new Error('Dovecot is missing: install it (apt-get install dovecot-imapd) or set DOVECOT_PATH.');
  // The package's own service may not start in a container (policy-rc.d); ours never needs it.
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd'], { stdio: 'inherit' });
  const installed = findDovecot();
  if (!installed) throw new Error('apt-get installed dovecot-imapd, but /usr/sbin/dovecot is still missing');
  return installed;
}

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) {
    const info = os.userInfo();
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    return { user: info.username, group, uid: info.uid, gid: info.gid };
  }
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  const group = execFileSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).trim();
  return { user: 'nobody', group, uid, gid };
}

function configuration(dir: string, port: number, account: RunAs): string {
  return `# Written by test/support/dovecot.ts for one test run.
instance_name = seamless-test-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
# Loopback only, a throwaway password: plain-text login is what the tests need.
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${account.user}
default_internal_group = ${account.group}
default_login_user = ${account.user}
first_valid_uid = 1
mail_location = maildir:${dir}/home/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${account.uid} gid=${account.gid} home=${dir}/home/%u
}
# Unprivileged: no chroots, every process runs as the one user.
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/** Resolves when the server sends its IMAP greeting; rejects when the process exits first or the deadline passes. */
function waitForGreeting(port: number, child: ChildProcess, logOf: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null) => finish(new Error(`dovecot exited (${code}) before accepting connections:\n${logOf()}`));
    child.once('exit', onExit);
    const attempt = () => {
      if (settled) return;
      const socket = connect(port, '127.0.0.1');
      socket.setEncoding('utf8');
      socket.once('data', (greeting: string) => {
        socket.destroy();
        if (greeting.startsWith('* OK')) finish();
        else finish(new Error(`unexpected IMAP greeting: ${greeting}`));
      });
      socket.once('error', () => {
        socket.destroy();
        // Not listening yet: the master opens its listeners a moment after it starts.
        if (Date.now() > deadline) finish(new Error(`dovecot did not accept connections within ${timeoutMs} ms:\n${logOf()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  const binary = ensureDovecot();
  const account = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'seamless-dovecot-'));
  const port = await freePort();
  const user = options.user ?? 'support';
  const password = options.password ?? randomBytes(12).toString('hex');
  for (const folder of ['run', 'state', 'home']) mkdirSync(path.join(dir, folder));
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'dovecot.conf'), configuration(dir, port, account));
  if (process.getuid?.() === 0) {
    for (const entry of ['', 'run', 'state', 'home', 'passwd', 'dovecot.conf']) chownSync(path.join(dir, entry), account.uid, account.gid);
  }
  const logOf = () => {
    try {
      return readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '(no log)';
    }
  };
  const child = spawn(binary, ['-F', '-c', path.join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(process.getuid?.() === 0 ? { uid: account.uid, gid: account.gid } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForGreeting(port, child, () => `${logOf()}${stderr}`);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    imapOptions: () => ({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false }),
    log: () => `${logOf()}${stderr}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The master stops its children on SIGTERM before it exits.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

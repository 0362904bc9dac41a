// Debian's Chromium driven by playwright-core (never `playwright install`, which downloads).
// A fresh CI machine gets the package from apt when the tests run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const launchFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function findChromium(): string | null {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!canInstall) throw new Error('Chromium is missing: install it (apt-get install chromium) or set CHROMIUM_PATH.');
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk'], { stdio: 'inherit' });
  const installed = findChromium();
  if (!installed) throw new Error('apt-get installed chromium, but /usr/bin/chromium is still missing');
  return installed;
}

/** `extraFlags`: e.g. Chromium's fake camera and microphone for call tests. */
export function launchChromium(extraFlags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: [...launchFlags, ...extraFlags] });
}

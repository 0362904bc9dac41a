// DKIM signing of outgoing mail (RFC 6376): nodemailer signs each message with the key the
// operator configures (DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE);
// receivers check it against the public key published at <selector>._domainkey.<domain>.
// Without a key mail goes out unsigned, as before. A half-configured or unreadable key stops the
// process at start instead of sending mail that silently carries no signature.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What nodemailer's `dkim` option takes. */
export interface DkimKey {
  /** d=: the signing domain, normally the From address's. */
  domainName: string;
  /** s=: the selector the public key is published under. */
  keySelector: string;
  /** The RSA private key, PEM. */
  privateKey: string;
}

export interface DkimEnv {
  DKIM_DOMAIN?: string | undefined;
  DKIM_SELECTOR?: string | undefined;
  /** The PEM itself; `\n` escapes (one-line env values) are turned into line breaks. */
  DKIM_PRIVATE_KEY?: string | undefined;
  /** A file holding the PEM (a mounted secret); DKIM_PRIVATE_KEY wins when both are set. */
  DKIM_PRIVATE_KEY_FILE?: string | undefined;
}

export class DkimConfigError extends Error {
  override name = 'DkimConfigError';
}

/** The signing key from the environment, or null when none is configured. Throws DkimConfigError when it is incomplete or not an RSA private key. */
export function dkimKeyFromEnv(env: DkimEnv): DkimKey | null {
  const domain = env.DKIM_DOMAIN?.trim() || undefined;
  const selector = env.DKIM_SELECTOR?.trim() || undefined;
  const inline = env.DKIM_PRIVATE_KEY?.trim() || undefined;
  const file = env.DKIM_PRIVATE_KEY_FILE?.trim() || undefined;
  if (!domain && !selector && !inline && !file) return null;
  const missing = [!domain && 'DKIM_DOMAIN', !selector && 'DKIM_SELECTOR', !inline && !file && 'DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE'].filter(Boolean);
  if (missing.length > 0) throw new DkimConfigError(`DKIM signing is half configured: ${missing.join(', ')} missing`);
  let pem: string;
  if (inline) pem = inline.replace(/\\n/g, '\n');
  else {
    try {
      pem = readFileSync(file!, 'utf8');
    } catch (error) {
      throw new DkimConfigError(`DKIM_PRIVATE_KEY_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new DkimConfigError('The DKIM private key is not a PEM private key');
  }
  // nodemailer signs rsa-sha256 only (and answers no signature at all for another key type).
  if (type !== 'rsa') throw new DkimConfigError(`The DKIM private key must be an RSA key (got ${type ?? 'unknown'})`);
  return { domainName: domain!, keySelector: selector!, privateKey: pem };
}

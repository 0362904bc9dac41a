// Two-factor sign-in in a real browser (issue 18): a person sets it up from the profile menu —
// the key read from the page, the code computed here as an authenticator app would — saves the
// recovery codes, signs out, and signs in again with their password and a code. Then an admin
// requires it of admins: she and another admin are kept on the set-up page until they have it.
import path from 'node:path';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../infra/auth/passwords.js';
import { demoPassword } from '../prisma/demo-data.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

/** The code an authenticator app shows `offsetSeconds` from now. */
const codeOf = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

describe('two-factor sign-in in Chromium', () => {
  it('is set up from the profile menu, then asked for at sign-in', async () => {
    const email = 'tess.totp@seamless.local';
    await ui.system.db.user.create({ data: { email, name: 'Tess Totp', passwordHash: await hashPassword(demoPassword) } });
    const page = await newPage();
    await signIn(page, email, 'Tess Totp');

    await page.getByTestId('agent-name').click();
    await page.getByTestId('profile-two-factor').click();
    await page.getByTestId('two-factor-begin').click();
    await page.getByTestId('two-factor-qr').waitFor(live);
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByTestId('two-factor-password').fill(demoPassword);
    await page.getByTestId('two-factor-code').fill(await codeOf(secret));
    await page.getByTestId('two-factor-confirm').click();
    await page.getByTestId('recovery-codes').waitFor(live);
    expect(await page.getByTestId('recovery-code').count()).toBe(10);
    await page.screenshot({ path: path.join(screenshots, 'account-recovery-codes.png') });
    await page.getByTestId('recovery-codes-saved').click();
    await page.getByTestId('recovery-codes-left').filter({ hasText: '10' }).waitFor(live);

    await page.getByTestId('agent-name').click();
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-code-form').waitFor(live);
    // A wrong code is refused in words, and no session starts.
    const right = await codeOf(secret, 30);
    await page.getByTestId('login-code').fill(String((Number(right) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('login-code-error').filter({ hasText: 'The code is wrong.' }).waitFor(live);
    // The code of the next 30-second step: the one used to turn it on cannot be used again (no
    // replay), and the server accepts a code one step either side of its clock.
    await page.getByTestId('login-code').fill(right);
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('agent-name').filter({ hasText: 'Tess Totp' }).waitFor(live);
    expect(page.url()).toContain('#/inbox/mine');

    // The sessions page: the first session was signed out, this one is listed and marked.
    await page.getByTestId('agent-name').click();
    await page.getByTestId('profile-sessions').click();
    await page.getByTestId('session-current').waitFor(live);
    expect(await page.getByTestId('session').count()).toBe(1);
    expect(await page.getByTestId('session-device').textContent()).toMatch(/^Chrome on /);
    await page.screenshot({ path: path.join(screenshots, 'account-sessions.png') });
  });

  it('kept on the set-up page when admins must use it, until it is set up', async () => {
    await ui.system.db.user.create({
      data: { email: 'sam.secure@seamless.local', name: 'Sam Secure', role: 'admin', passwordHash: await hashPassword(demoPassword) },
    });
    const ada = await newPage();
    await signIn(ada, 'admin@seamless.local', 'Ada Admin');
    await ada.goto(`${ui.system.url}/#/admin/security`);
    await ada.getByTestId('admins-require-two-factor').check();
    await ada.getByTestId('security-settings').getByRole('status').waitFor(live);
    // Ada has no two-factor either: the next screen she opens sends her to set it up.
    await ada.getByTestId('nav-inbox').click();
    await ada.getByTestId('two-factor-setup-required').waitFor(live);
    expect(ada.url()).toContain('#/account/two-factor');

    const sam = await newPage();
    await signIn(sam, 'sam.secure@seamless.local', 'Sam Secure');
    await sam.getByTestId('two-factor-setup-required').waitFor(live);
    await sam.goto(`${ui.system.url}/#/tickets`);
    await sam.getByTestId('two-factor-begin').waitFor(live);
    expect(sam.url()).toContain('#/account/two-factor');
    await sam.getByTestId('two-factor-begin').click();
    const secret = (await sam.getByTestId('two-factor-secret').textContent())!.trim();
    await sam.getByTestId('two-factor-password').fill(demoPassword);
    await sam.getByTestId('two-factor-code').fill(await codeOf(secret));
    await sam.getByTestId('two-factor-confirm').click();
    await sam.getByTestId('recovery-codes-saved').click();
    await sam.getByTestId('two-factor-on').waitFor(live);
    expect(await sam.getByTestId('two-factor-setup-required').count()).toBe(0);
    // Not asked of her any more: the inbox opens.
    await sam.getByTestId('nav-inbox').click();
    await sam.getByTestId('conversation-list').waitFor(live);
  });
});

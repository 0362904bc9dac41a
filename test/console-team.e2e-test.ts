// The team in a real browser (issue 18): the admin invites a new agent from Admin → Agents; with no
// SMTP configured the console shows the one-time link, which the new person opens in a browser of
// their own, chooses a password (a guessable one is refused in words) and lands signed in.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('team members in Chromium', () => {
  it('an admin invites an agent, who opens the link, sets a password and is signed in', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.goto(`${ui.system.url}/#/admin/agents`);
    await admin.getByTestId('invite-open').click();
    await admin.getByTestId('invite-email').fill('mei.lin@example.com');
    await admin.getByTestId('invite-name').fill('Mei Lin');
    await admin.getByTestId('invite-tier').selectOption('expert');
    await admin.getByTestId('invite-skills').fill('refunds, cards');
    await admin.getByTestId('invite-send').click();
    const linkField = admin.getByTestId('team-link-value');
    await linkField.waitFor(live);
    const link = await linkField.inputValue();
    expect(link).toMatch(/\/#\/set-password\?token=inv_/);
    await admin.getByTestId('invitation-row').filter({ hasText: 'mei.lin@example.com' }).waitFor(live);

    const invitee = await newPage();
    await invitee.goto(link);
    await invitee.getByTestId('set-password-title').filter({ hasText: 'Welcome, Mei Lin' }).waitFor(live);
    await invitee.getByTestId('set-password-password').fill('password1234');
    await invitee.getByTestId('set-password-repeat').fill('password1234');
    await invitee.getByTestId('set-password-submit').click();
    await invitee.getByTestId('set-password-error').filter({ hasText: 'too easy to guess' }).waitFor(live);

    await invitee.getByTestId('set-password-password').fill('violet-harbour-tangerine-42');
    await invitee.getByTestId('set-password-repeat').fill('violet-harbour-tangerine-42');
    await invitee.getByTestId('set-password-submit').click();
    await invitee.getByTestId('agent-name').filter({ hasText: 'Mei Lin' }).waitFor(live);
    expect(invitee.url()).toContain('#/inbox/');
    const user = await ui.system.db.user.findUniqueOrThrow({ where: { email: 'mei.lin@example.com' } });
    expect(user).toMatchObject({ name: 'Mei Lin', role: 'agent', tier: 'expert', skills: ['refunds', 'cards'] });

    // The link was for once: opened again, it says so.
    const again = await newPage();
    await again.goto(link);
    await again.getByTestId('set-password-unusable').filter({ hasText: 'used already' }).waitFor(live);

    // The admin's list shows the new member, and the invitation is no longer waiting.
    await admin.reload();
    await admin.locator('[data-testid="agent-row"][data-email="mei.lin@example.com"] [data-testid="member-status"][data-status="active"]').waitFor(live);
    expect(await admin.getByTestId('invitation-row').filter({ hasText: 'mei.lin@example.com' }).count()).toBe(0);
  });
});

// Attachments (issue 17) in a real browser: a visitor attaches an image in the widget (a type the
// policy refuses is said in words), the agent sees it as a thumbnail in the console and answers
// with a PDF, which the visitor sees as a download.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

/** A 1×1 PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('attachments in Chromium', () => {
  it('carries a visitor’s image to the agent and the agent’s PDF back, and refuses a program in words', async () => {
    const agentPage = await newPage();
    await signIn(agentPage, 'agent@seamless.local', 'Alex Agent');
    await agentPage.getByTestId('conversation-list').waitFor();

    const customerPage = await newPage();
    await customerPage.goto(`${ui.system.url}/widget.html`);
    await customerPage.getByTestId('widget-launcher').click();
    // Files go to a conversation: the first message starts it.
    await customerPage.getByTestId('widget-input').fill('My transfer failed, see the screenshot');
    await customerPage.getByTestId('widget-send').click();
    await customerPage.getByTestId('attach-button').waitFor({ timeout: 20_000 });

    await customerPage
      .getByTestId('attach-input')
      .setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00program') });
    await customerPage.getByTestId('attachment-error').filter({ hasText: '“setup.exe”: this type of file cannot be sent.' }).waitFor({ timeout: 20_000 });
    expect(await customerPage.getByTestId('attachment-draft').count()).toBe(0);

    await customerPage.getByTestId('attach-input').setInputFiles({ name: '截图.png', mimeType: 'image/png', buffer: png });
    await customerPage.locator('[data-testid="attachment-draft"][data-status="ready"]').waitFor({ timeout: 20_000 });
    await customerPage.getByTestId('widget-input').fill('Here it is');
    await customerPage.getByTestId('widget-send').click();
    await customerPage.getByTestId('widget-message').filter({ hasText: 'Here it is' }).getByTestId('attachment-thumb').waitFor({ timeout: 20_000 });
    expect(await customerPage.getByTestId('attachment-draft').count()).toBe(0);

    const row = agentPage.getByTestId('conversation-row').first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    const withImage = agentPage.getByTestId('message-item').filter({ hasText: 'Here it is' });
    const thumb = withImage.getByTestId('attachment-thumb');
    await thumb.waitFor({ timeout: 20_000 });
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await thumb.getAttribute('alt')).toBe('Image: 截图.png');
    // Shown, not merely set: the console's CSP (img-src 'self' data:) lets the data: URL load.
    expect(
      await thumb.evaluate((img) => {
        // Waits for the image's load (or error: naturalWidth 0) rather than a time.
        const image = img as unknown as { complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void): void };
        if (image.complete) return image.naturalWidth;
        return new Promise<number>((resolve) => {
          image.addEventListener('load', () => resolve(image.naturalWidth));
          image.addEventListener('error', () => resolve(0));
        });
      }),
    ).toBe(1);

    await agentPage.getByTestId('attach-input').setInputFiles({ name: 'form.pdf', mimeType: 'application/pdf', buffer: pdf });
    await agentPage.locator('[data-testid="attachment-draft"][data-status="ready"]').waitFor({ timeout: 20_000 });
    await agentPage.getByTestId('reply-box').fill('Please fill in this form');
    await agentPage.getByTestId('send-button').click();
    await agentPage.getByTestId('message-item').filter({ hasText: 'Please fill in this form' }).getByTestId('attachment-download').waitFor({ timeout: 20_000 });

    const fromAgent = customerPage.getByTestId('widget-message').filter({ hasText: 'Please fill in this form' });
    await fromAgent.getByTestId('attachment-download').filter({ hasText: 'form.pdf' }).waitFor({ timeout: 20_000 });
    const download = customerPage.waitForEvent('download', { timeout: 20_000 });
    await fromAgent.getByTestId('attachment-download').click();
    expect((await download).suggestedFilename()).toBe('form.pdf');

    const stored = await ui.system.db.attachment.findMany({
      where: { fileName: { in: ['截图.png', 'form.pdf', 'setup.exe'] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(stored.map((file) => [file.fileName, file.messageId !== null])).toEqual([
      ['截图.png', true],
      ['form.pdf', true],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { answerSection, blocksOf, sentencesOf } from './answer-section.js';
import { splitPassages } from './lexical-retrieval.js';

// Article shapes as the demo knowledge base (prisma/demo-data.ts) and the shop sets (eval/data/*-shop) write them.
const refundEn = `Once a merchant approves a refund, we credit it as soon as the money reaches us. How long that takes depends on how you paid:

| Paid with | Usually arrives in |
|---|---|
| Card in the app | 3–5 working days |
| Balance or bank transfer | 1–2 working days |
| Gift card or store credit | Instantly |

## Checking progress
Open **Activity**, tap the original payment and look under **Refunds**. "Pending" means the merchant has started the refund but the money has not reached us yet; "Completed" means it is in your balance.`;

const refundZh = `商家同意退款后，款项一到我们这里就会立即入账。到账时间取决于您当初的付款方式：

| 付款方式 | 通常到账时间 |
|---|---|
| 应用内的银行卡 | 3–5 个工作日 |
| 账户余额或银行转账 | 1–2 个工作日 |
| 礼品卡或商城余额 | 即时到账 |

## 查看退款进度
打开 **账单明细**，点击原始付款记录，在 **退款** 一栏中查看状态。`;

const pinEn = `You can view or change your PIN in the app at any time. A new PIN works straight away for chip-and-PIN payments.

## Change it in the app
1. Go to **Cards** and choose the card.
2. Tap **Security → Change PIN**.
3. Confirm it's you with your passcode, fingerprint or face.
4. Enter the new 4-digit PIN twice.

Avoid easy guesses such as 1234, 0000 or your date of birth.

## Cash machines
Some cash machines keep checking the old PIN until the new one has been used once with the chip.`;

const pinZh = `您可以随时在应用中查看或修改 PIN 码，新密码对芯片加密码支付立即生效。

## 在应用中修改
1. 进入 **卡片**，选择要修改的卡。
2. 点击 **安全 → 修改 PIN 码**。
3. 通过锁屏密码、指纹或面容验证身份。
4. 输入两次新的 4 位 PIN 码。

请避免使用 1234、0000 或生日等容易被猜到的数字。`;

/** Every passage retrieval can return from a body, as the bot would quote it. */
const everyAnswer = (body: string) => splitPassages(body).map((passage) => answerSection(body, passage).text);

describe('answerSection: a lead-in brings what its colon introduces (issue 20 item 3, issue 21 item 3)', () => {
  it('answers the refund article with the lead-in and every row of its table (English)', () => {
    const { text, partial } = answerSection(refundEn, 'Once a merchant approves a refund, we credit it as soon as the money reaches us.');
    expect(text).toBe(
      [
        'Once a merchant approves a refund, we credit it as soon as the money reaches us. How long that takes depends on how you paid:',
        '• Card in the app: 3–5 working days',
        '• Balance or bank transfer: 1–2 working days',
        '• Gift card or store credit: Instantly',
      ].join('\n'),
    );
    expect(partial).toBe(false);
  });

  it('answers the refund article with the lead-in and every row of its table (Chinese)', () => {
    expect(answerSection(refundZh, '到账时间取决于您当初的付款方式：').text).toBe(
      [
        '商家同意退款后，款项一到我们这里就会立即入账。到账时间取决于您当初的付款方式：',
        '• 应用内的银行卡：3–5 个工作日',
        '• 账户余额或银行转账：1–2 个工作日',
        '• 礼品卡或商城余额：即时到账',
      ].join('\n'),
    );
  });

  it('answers a passage inside the table with the table and its lead-in', () => {
    const { text } = answerSection(refundEn, '| Gift card or store credit | Instantly |');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.split('\n')[0]).toMatch(/how you paid:$/);
  });

  it('never ends an answer on a colon, whatever passage of the demo articles was matched', () => {
    for (const body of [refundEn, refundZh, pinEn, pinZh])
      for (const answer of everyAnswer(body)) {
        expect(answer, answer).not.toMatch(/[:：]$/u);
        expect(answer.trim(), body.slice(0, 20)).not.toBe('');
      }
  });

  it('brings a bulleted list and the paragraph a colon introduces', () => {
    const bullets = 'You can pay in three ways:\n\n- card\n- **balance**\n- bank transfer\n\nMore text.';
    expect(answerSection(bullets, 'You can pay in three ways:').text).toBe('You can pay in three ways:\n• card\n• balance\n• bank transfer');
    const sentences = '我们支持两种退款方式：\n\n原路退回，或者退到账户余额。两种都免费。\n\n其他问题请联系我们。';
    expect(answerSection(sentences, '我们支持两种退款方式：').text).toBe('我们支持两种退款方式：\n原路退回，或者退到账户余额。两种都免费。');
  });
});

describe('answerSection: a numbered procedure is kept whole', () => {
  it('answers any step with every step, numbered, one per line (English and Chinese)', () => {
    const en = answerSection(pinEn, 'Tap **Security → Change PIN**.').text;
    expect(en).toBe(
      [
        '1. Go to Cards and choose the card.',
        '2. Tap Security → Change PIN.',
        "3. Confirm it's you with your passcode, fingerprint or face.",
        '4. Enter the new 4-digit PIN twice.',
      ].join('\n'),
    );
    const zh = answerSection(pinZh, '4. 输入两次新的 4 位 PIN 码。').text;
    expect(zh.split('\n')).toEqual([
      '1. 进入 卡片，选择要修改的卡。',
      '2. 点击 安全 → 修改 PIN 码。',
      '3. 通过锁屏密码、指纹或面容验证身份。',
      '4. 输入两次新的 4 位 PIN 码。',
    ]);
  });

  it('answers a matched heading with its whole section when it is short', () => {
    const { text } = answerSection(pinEn, '## Change it in the app');
    expect(text.split('\n')).toHaveLength(5);
    expect(text).toMatch(/^1\. Go to Cards.*\n4\. .*\nAvoid easy guesses/s);
  });

  it('answers a passage that is only a list marker ("1.", cut off by sentence splitting) with the first unit, never with the marker', () => {
    expect(splitPassages(pinEn)).toContain('1.');
    expect(answerSection(pinEn, '1.')).toEqual({
      text: 'You can view or change your PIN in the app at any time. A new PIN works straight away for chip-and-PIN payments.',
      partial: false,
    });
    for (const answer of everyAnswer(pinEn)) expect(answer).toMatch(/\p{L}/u);
  });

  it('keeps Chinese list markers (1、) and indented continuation lines', () => {
    expect(blocksOf('步骤如下：\n1、打开应用\n2、点击设置\n  然后选择安全')).toEqual([
      { kind: 'paragraph', lines: ['步骤如下：'] },
      { kind: 'list', ordered: true, items: ['打开应用', '点击设置然后选择安全'] },
    ]);
  });
});

describe('answerSection: paragraphs', () => {
  const body =
    'Most transfers arrive within minutes.\n\n## What you can do\nTap the transfer in **Activity** to see its status. You can cancel a transfer while it is still pending. If the date has passed, send us the reference.';
  const paragraph =
    'Tap the transfer in Activity to see its status. You can cancel a transfer while it is still pending. If the date has passed, send us the reference.';

  it('answers with the whole paragraph of the best passage, without Markdown markup', () => {
    expect(answerSection(body, 'You can cancel a transfer while it is still pending.')).toEqual({ text: paragraph, partial: false });
  });

  it('answers a matched heading with the first paragraph of its section', () => {
    expect(answerSection(body, '## What you can do').text).toBe(paragraph);
    expect(answerSection('卡片通常 5 天送达。\n\n## 仍然没有收到？\n\n请点击 **报告未收到**，我们会补寄新卡。', '## 仍然没有收到？').text).toBe(
      '请点击 报告未收到，我们会补寄新卡。',
    );
  });

  it('works for Chinese text', () => {
    expect(answerSection('银行卡丢失时请立即冻结。冻结后可以补办新卡。\n\n其他问题请联系我们。', '冻结后可以补办新卡。').text).toBe(
      '银行卡丢失时请立即冻结。冻结后可以补办新卡。',
    );
  });
});

describe('answerSection: a long paragraph is cut at sentence ends and marked partial', () => {
  it('keeps whole English sentences around the passage', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something.`).join(' ');
    const { text, partial } = answerSection(long, 'Sentence number 20 says something.');
    expect(text).toContain('Sentence number 20 says something.');
    expect(text.length).toBeLessThanOrEqual(600);
    expect(text).toMatch(/^Sentence number \d+ says something\..*\.$/);
    expect(partial).toBe(true);
  });

  it('keeps whole Chinese sentences (。！？) around the passage', () => {
    const long = Array.from({ length: 60 }, (_, i) => `第${i}句说明退款的一个细节！`).join('');
    const { text, partial } = answerSection(long, '第30句说明退款的一个细节！');
    expect(text).toContain('第30句说明退款的一个细节！');
    expect(text.length).toBeLessThanOrEqual(600);
    expect(text).toMatch(/^第\d+句.*！$/u);
    expect(partial).toBe(true);
  });

  it('never cuts between a sentence ending in a colon and the sentence it introduces', () => {
    const filler = Array.from({ length: 30 }, (_, i) => `Filler sentence ${i} is here.`).join(' ');
    const long = `${filler} It depends on how you paid: cards take five days. ${filler}`;
    expect(sentencesOf(long)).toContain('It depends on how you paid: cards take five days.');
    const { text } = answerSection(long, 'It depends on how you paid:');
    expect(text).toContain('It depends on how you paid: cards take five days.');
    expect(text).not.toMatch(/:$/);
  });

  it('keeps the lead-in sentence of a long paragraph next to its list, or leaves both out', () => {
    const lead = `${Array.from({ length: 30 }, (_, i) => `Filler sentence ${i} is here.`).join(' ')} How long it takes depends on how you paid:`;
    const body = `${lead}\n\n- card: 3 days\n- balance: 1 day`;
    const atLead = answerSection(body, 'How long it takes depends on how you paid:');
    expect(atLead.text).toMatch(/\. How long it takes depends on how you paid:\n• card: 3 days\n• balance: 1 day$/);
    expect(atLead.partial).toBe(true);
    const atList = answerSection(body, '- balance: 1 day');
    expect(atList.text).toBe('How long it takes depends on how you paid:\n• card: 3 days\n• balance: 1 day');
    // Far from the lead-in: sentences around the passage, ending on a full stop, not on the colon.
    const early = answerSection(body, 'Filler sentence 3 is here.');
    expect(early.text).toMatch(/^Filler sentence 0 is here\..*\.$/);
    expect(early.partial).toBe(true);
  });
});

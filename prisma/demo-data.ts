// Demo data for the support desk of Acme Store, an online shop (the widget's demo page,
// console/widget.html) with its own payment card and wallet, Acme Pay: teams, people, knowledge
// (the shop's articles in demo-shop-articles.ts, Acme Pay's below), SLA targets and channels.
// Data only — the seed (prisma/seed.ts) writes it, tests and benchmarks may read it.
// Shapes follow prisma/schema.prisma; references between records are by name or email so the
// seed can resolve them to the ids it creates.
import type { AgentTier, ChannelKind, Priority, UserRole } from '../domain/vocabulary.js';
import { demoShopArticles } from './demo-shop-articles.js';

export type DemoLocale = 'en' | 'zh-CN';

/** One opening interval: day 0-6 (0 = Sunday), local times "HH:MM" in the team's time zone. */
export interface DemoOpeningInterval {
  day: number;
  open: string;
  close: string;
}

export interface DemoBusinessHours {
  /** Unique name of the BusinessHours row. */
  name: string;
  timeZone: string;
  weekly: readonly DemoOpeningInterval[];
  /** Local dates ("YYYY-MM-DD") on which the team is closed. */
  holidays: readonly string[];
}

export interface DemoTeam {
  name: string;
  tier: AgentTier;
  /** Email of the team lead among demoUsers; null for none. */
  leadEmail: string | null;
  businessHours: DemoBusinessHours;
}

export interface DemoUser {
  email: string;
  name: string;
  role: UserRole;
  tier: AgentTier;
  /** Name of the team among demoTeams; null for no team (the admin). */
  team: string | null;
  skills: readonly string[];
  /** Open conversations the agent can hold at once. */
  capacity: number;
  locale: DemoLocale;
  timeZone: string;
}

export interface DemoCustomer {
  name: string;
  email: string;
  locale: DemoLocale;
}

export interface DemoArticle {
  /** Translations of one topic share this key; the seed gives them one groupId. */
  group: string;
  /** Unique per locale (translations may share a slug). */
  slug: string;
  locale: DemoLocale;
  title: string;
  /** Markdown. */
  body: string;
  category: string;
  tags: readonly string[];
  /** Example questions, in customers' own words (searched, never shown on the help center). */
  questions?: readonly string[];
}

/** One step of the escalation ladder, run in order when a target is breached. */
export type DemoEscalationStep = { action: 'notify' } | { action: 'raise_priority' } | { action: 'move_to_expert' };

export interface DemoSlaPolicy {
  name: string;
  priority: Priority;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  /** Share of the target after which the SLA turns to "warning". */
  warningPercent: number;
  escalation: readonly DemoEscalationStep[];
}

export interface DemoChannel {
  kind: ChannelKind;
  name: string;
  settings: Readonly<Record<string, unknown>>;
}

/** A saved reply agents insert by its shortcut; `team` null shares it with everyone. */
export interface DemoCannedResponse {
  shortcut: string;
  locale: DemoLocale;
  title: string;
  body: string;
  /** Name of the team among demoTeams; null for everyone. */
  team: string | null;
}

/** Every demo user's password (the console's login page offers agent@seamless.local). */
export const demoPassword = 'seamless-demo';

/** Monday to Friday, 09:00-18:00. */
const weekdays = (open: string, close: string): DemoOpeningInterval[] => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));

export const demoTeams: readonly DemoTeam[] = [
  {
    name: 'Frontline',
    tier: 'junior',
    leadEmail: 'admin@seamless.local',
    businessHours: {
      name: 'London office',
      timeZone: 'Europe/London',
      weekly: weekdays('09:00', '18:00'),
      holidays: ['2026-12-25', '2026-12-28', '2027-01-01'],
    },
  },
  {
    name: 'Specialists',
    tier: 'expert',
    leadEmail: 'expert@seamless.local',
    businessHours: {
      name: 'Shanghai office',
      timeZone: 'Asia/Shanghai',
      weekly: weekdays('09:00', '18:00'),
      holidays: ['2027-01-01'],
    },
  },
];

export const demoUsers: readonly DemoUser[] = [
  {
    email: 'admin@seamless.local',
    name: 'Ada Admin',
    role: 'admin',
    tier: 'expert',
    team: null,
    skills: [],
    capacity: 5,
    locale: 'en',
    timeZone: 'Europe/London',
  },
  {
    email: 'agent@seamless.local',
    name: 'Alex Agent',
    role: 'agent',
    tier: 'junior',
    team: 'Frontline',
    skills: ['billing', 'cards'],
    capacity: 5,
    locale: 'en',
    timeZone: 'Europe/London',
  },
  {
    email: 'lina@seamless.local',
    name: '李娜',
    role: 'agent',
    tier: 'junior',
    team: 'Frontline',
    skills: ['billing', 'transfers', 'zh'],
    capacity: 5,
    locale: 'zh-CN',
    timeZone: 'Europe/London',
  },
  {
    email: 'expert@seamless.local',
    name: 'Priya Patel',
    role: 'agent',
    tier: 'expert',
    team: 'Specialists',
    skills: ['technical', 'cards', 'transfers'],
    capacity: 5,
    locale: 'en',
    timeZone: 'Asia/Shanghai',
  },
  {
    email: 'wangwei@seamless.local',
    name: '王伟',
    role: 'agent',
    tier: 'expert',
    team: 'Specialists',
    skills: ['technical', 'billing', 'zh'],
    capacity: 5,
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
  },
];

export const demoCustomer: DemoCustomer = {
  name: 'Casey Customer',
  email: 'customer@example.com',
  locale: 'en',
};

export const demoArticles: readonly DemoArticle[] = [
  ...demoShopArticles,
  {
    group: 'card-not-arrived',
    slug: 'card-not-arrived',
    locale: 'en',
    title: "My card hasn't arrived yet",
    category: 'cards',
    tags: ['card', 'delivery', 'replacement'],
    questions: [
      'I ordered a card ages ago and it never came',
      "where's my new debit card??",
      'card still not delivered after two weeks',
      'the courier says delivered but I got nothing',
    ],
    body: `Most cards arrive within **5–7 working days** of ordering; deliveries abroad can take up to 14 working days.

## Before you get in touch
1. Check the delivery address under **Settings → Personal details**. If it was wrong, cancel the card and order a new one to the right address.
2. Open **Cards → Track delivery** to see when the card was posted and, for express orders, the courier's tracking number.
3. Look for a missed-delivery note: couriers keep parcels at the local depot for 7 days.

## Still nothing?
If it has been more than 10 working days (20 for deliveries abroad), tap **Cards → Report not received**. We cancel the missing card straight away so nobody else can use it, and send a replacement free of charge.

While you wait, add your **virtual card** to Apple Pay or Google Pay and start spending right away.`,
  },
  {
    group: 'card-not-arrived',
    slug: 'card-not-arrived',
    locale: 'zh-CN',
    title: '卡片还没收到',
    category: 'cards',
    tags: ['银行卡', '邮寄', '补卡'],
    questions: ['新卡寄了两个星期还没到', '卡一直没寄到咋办', '快递显示签收了但我没拿到卡', '申请的卡到哪了'],
    body: `大多数卡片会在下单后 **5–7 个工作日**内送达，寄往海外的卡片最长可能需要 14 个工作日。

## 联系我们之前
1. 在 **设置 → 个人信息** 中核对收货地址。如果地址有误，请注销这张卡，并按正确地址重新申请。
2. 打开 **卡片 → 物流跟踪**，查看卡片的寄出日期；加急订单还可以看到快递单号。
3. 留意是否有未投递通知：快递公司通常会在当地网点保留包裹 7 天。

## 仍然没有收到？
如果已超过 10 个工作日（寄往海外的为 20 个工作日），请点击 **卡片 → 报告未收到**。我们会立即注销这张卡，防止被他人盗用，并免费为您补寄新卡。

等待期间，您可以先把 **虚拟卡** 添加到 Apple Pay 或 Google Pay，马上就能消费。`,
  },
  {
    group: 'refund-status',
    slug: 'refund-status',
    locale: 'en',
    title: 'Where is my refund?',
    category: 'orders',
    tags: ['refund', 'order', 'merchant'],
    questions: [
      'When will I get my refund?',
      "shop says they refunded me but I don't see the money",
      'returned my order, still no money back',
      'how long until I get my refund',
      'merchant refund missing',
    ],
    body: `We start your refund as soon as a cancellation is confirmed or your return reaches our warehouse (within 2 working days of it arriving). It always goes back to the way you paid:

| Paid with | Usually arrives in |
|---|---|
| Debit or credit card | 3–5 working days |
| PayPal, Alipay or WeChat Pay | 1 working day |
| Acme Pay balance, gift card or store credit | Instantly |

## Checking progress
Open **Account → Orders → Returns and refunds**. "Return received" means we have your parcel and are checking it; "Refund issued" means the money has left us, with a refund reference. On a credit card the refund may show on your next statement rather than as a separate payment.

## When to contact us
If your refund was issued more than 10 working days ago and you still cannot see it, ask your bank using the refund reference first. If they cannot find it, send us the reference and we will trace it. Items sold by a marketplace merchant are refunded by that merchant; if they refuse a refund you are owed, we step in.`,
  },
  {
    group: 'refund-status',
    slug: 'refund-status',
    locale: 'zh-CN',
    title: '退款什么时候到账？',
    category: 'orders',
    tags: ['退款', '订单', '商家'],
    questions: ['退款什么时候到账', '商家说已经退了但钱没到', '退货好几天了钱还没退回来', '退的钱去哪了', '退款一直不到账'],
    body: `订单取消成功，或退货寄到仓库后（到货 2 个工作日内），我们会立即发起退款。退款会原路返回：

| 付款方式 | 通常到账时间 |
|---|---|
| 借记卡或信用卡 | 3–5 个工作日 |
| PayPal、支付宝或微信支付 | 1 个工作日 |
| Acme Pay 余额、礼品卡或商城余额 | 即时到账 |

## 查看退款进度
打开 **账户 → 我的订单 → 退货和退款**。“已收到退货”表示我们已收到包裹并在检查；“已退款”表示款项已从我们这里退出，并附有退款流水号。信用卡退款可能显示在下一期账单中，而不是单独的一笔入账。

## 什么时候联系我们
如果显示“已退款”超过 10 个工作日仍未到账，请先凭退款流水号向银行查询；如果银行查不到，请把流水号发给我们，我们会为您追查。由平台商家销售的商品由商家负责退款；如果商家拒绝退还您应得的款项，我们会介入处理。`,
  },
  {
    group: 'change-pin',
    slug: 'change-pin',
    locale: 'en',
    title: 'How to change your card PIN',
    category: 'cards',
    tags: ['pin', 'card', 'security'],
    questions: ['I want a new PIN for my card', 'how can I set a different PIN', 'can I pick my own card PIN'],
    body: `You can view or change your PIN in the app at any time. A new PIN works straight away for chip-and-PIN payments.

## Change it in the app
1. Go to **Cards** and choose the card.
2. Tap **Security → Change PIN**.
3. Confirm it's you with your passcode, fingerprint or face.
4. Enter the new 4-digit PIN twice.

Avoid easy guesses such as 1234, 0000 or your date of birth.

## Cash machines
Some cash machines keep checking the old PIN until the new one has been used once with the chip. The simplest fix is a balance check at any cash machine.

## Blocked after wrong attempts?
Three wrong PINs in a row block it. Unblock it under **Cards → Security → Unblock PIN**, then do a balance check at a cash machine to reset the card itself. If you think someone knows your PIN, **freeze the card** and order a replacement.`,
  },
  {
    group: 'change-pin',
    slug: 'change-pin',
    locale: 'zh-CN',
    title: '如何修改银行卡 PIN 码',
    category: 'cards',
    tags: ['密码', '银行卡', '安全'],
    questions: ['想换个银行卡密码', '卡的密码怎么改', 'PIN 能自己重新设置吗'],
    body: `您可以随时在应用中查看或修改 PIN 码，新密码对芯片加密码支付立即生效。

## 在应用中修改
1. 进入 **卡片**，选择要修改的卡。
2. 点击 **安全 → 修改 PIN 码**。
3. 通过锁屏密码、指纹或面容验证身份。
4. 输入两次新的 4 位 PIN 码。

请避免使用 1234、0000 或生日等容易被猜到的数字。

## 自动取款机
部分取款机在新 PIN 码通过芯片使用一次之前，仍会校验旧密码。最简单的办法是在任意取款机上查询一次余额。

## 输错密码被锁定？
连续输错三次后 PIN 码会被锁定。请在 **卡片 → 安全 → 解锁 PIN 码** 中解锁，然后在取款机上查询一次余额，卡片本身的锁定状态即可重置。如果怀疑 PIN 码已泄露，请立即 **冻结卡片** 并申请补卡。`,
  },
  {
    group: 'transfer-pending',
    slug: 'transfer-pending',
    locale: 'en',
    title: 'Why is my transfer still pending?',
    category: 'transfers',
    tags: ['transfer', 'pending', 'bank'],
    questions: ['my transfer still says pending', 'money sent yesterday still processing', "why hasn't my transfer gone through yet"],
    body: `Most transfers to UK accounts arrive within minutes, and international transfers within 1–3 working days. A transfer shows **Pending** while it is being checked or processed.

## Common reasons for a delay
- **Security checks.** Large or unusual transfers are sometimes reviewed by hand. We may ask you for more information in the app: a quick reply avoids holding things up.
- **Cut-off times and holidays.** International payments sent after 16:00 UK time, at weekends or on bank holidays are processed on the next working day.
- **The recipient's bank.** Some banks take longer to credit incoming international payments.
- **Details that don't match.** If the name doesn't match the account (Confirmation of Payee), we pause the transfer and ask you to confirm.

## What you can do
Tap the transfer in **Activity** to see its status and expected arrival date. You can cancel a transfer while it is still pending. If the expected date has passed, send us the transfer reference and we'll trace it.`,
  },
  {
    group: 'transfer-pending',
    slug: 'transfer-pending',
    locale: 'zh-CN',
    title: '转账为什么一直显示“处理中”？',
    category: 'transfers',
    tags: ['转账', '处理中', '银行'],
    questions: ['转账一直在处理中', '昨天转的钱还没到账', '转账没到账怎么回事'],
    body: `转入英国账户的转账通常几分钟内到账，国际转账一般需要 1–3 个工作日。转账在审核或处理期间会显示 **处理中**。

## 常见的延迟原因
- **安全审核**：大额或异常的转账可能需要人工审核。我们可能会在应用内向您了解更多信息，及时回复可以避免耽误。
- **截止时间和节假日**：英国时间 16:00 之后、周末或银行假日发起的国际转账，会在下一个工作日处理。
- **收款银行**：部分银行入账国际汇款的速度较慢。
- **信息不匹配**：如果收款人姓名与账户不符（收款人确认服务），我们会暂停转账并请您确认。

## 您可以做什么
在 **账单明细** 中点击该笔转账，即可查看当前状态和预计到账日期。转账仍在处理中时可以取消。如果已超过预计到账日期，请把转账参考号发给我们，我们会帮您追查。`,
  },
  {
    group: 'top-up-failed',
    slug: 'top-up-failed',
    locale: 'en',
    title: 'My top-up failed',
    category: 'payments',
    tags: ['top-up', 'card', 'declined'],
    questions: ["my top up didn't work", "can't add money to my account", 'adding money with my card keeps failing'],
    body: `A top-up can fail for a few reasons, and most are quick to fix. When a top-up fails **no money is taken**; if your bank shows a pending amount, it disappears within 3–5 working days.

## Check these first
- **Card details**: the card hasn't expired and the billing address matches the one your bank has.
- **3-D Secure**: approve the payment in your bank's app when asked. If the approval screen times out, the top-up is declined.
- **Limits**: your bank may limit online payments, and your account has daily and monthly top-up limits, shown under **Account → Limits**.
- **Card type**: we can't accept top-ups from prepaid cards or some business cards.

## Try again
Wait a few minutes and try a smaller amount, or top up by **bank transfer** with the account details under **Add money**. If several attempts with the same card fail, your bank may be blocking the payment: call them to allow it, then try again.`,
  },
  {
    group: 'top-up-failed',
    slug: 'top-up-failed',
    locale: 'zh-CN',
    title: '充值失败怎么办？',
    category: 'payments',
    tags: ['充值', '银行卡', '被拒'],
    questions: ['钱充不进去', '充值显示被拒绝', '往账户里加钱一直不成功'],
    body: `充值失败的原因有几种，大多数都能很快解决。充值失败时 **不会扣款**；如果您的银行显示有一笔待处理金额，它会在 3–5 个工作日内自动消失。

## 请先检查
- **卡片信息**：卡片未过期，账单地址与银行登记的一致。
- **3-D Secure 验证**：出现提示时，请在银行应用中确认付款；验证页面超时会导致充值被拒。
- **限额**：您的银行可能限制网上支付，您的账户本身也有每日和每月充值限额，可在 **账户 → 限额** 中查看。
- **卡片类型**：我们不支持用预付卡和部分企业卡充值。

## 再试一次
等几分钟后尝试充值较小的金额，或在 **添加资金** 中查看账户信息，通过 **银行转账** 充值。如果同一张卡多次失败，可能是您的银行拦截了这笔付款：请致电银行放行后再试。`,
  },
  {
    group: 'account-verification',
    slug: 'account-verification',
    locale: 'en',
    title: 'Verifying your identity',
    category: 'account',
    tags: ['verification', 'identity', 'documents'],
    questions: ['why do you need my ID', 'how do I verify my identity', 'my identity check failed'],
    body: `The law requires us to confirm who our customers are before we can fully open an account. Verification usually takes a few minutes, and never more than 2 working days.

## What you need
- A valid **passport**, **driving licence** or **national ID card**: not expired, with all four corners visible.
- A short **selfie video**, recorded in the app, so we can match your face to the document.
- Sometimes a **proof of address** from the last 3 months, such as a utility bill or bank statement.

## Tips to pass first time
- Use good light and avoid glare on the document.
- Make sure the name matches your account exactly, middle names included.
- Don't upload screenshots or photocopies.

## If verification fails
The app tells you why, and you can try again straight away. After three unsuccessful attempts a specialist reviews your documents by hand and contacts you within 2 working days.`,
  },
  {
    group: 'account-verification',
    slug: 'account-verification',
    locale: 'zh-CN',
    title: '身份验证指南',
    category: 'account',
    tags: ['身份验证', '证件', '实名认证'],
    questions: ['为什么要上传身份证', '身份认证怎么做', '实名认证一直不通过'],
    body: `根据法律规定，我们必须先确认客户身份，才能完整开通账户。验证通常几分钟即可完成，最长不超过 2 个工作日。

## 需要准备
- 有效的 **护照**、**驾照** 或 **身份证**：未过期，四个角完整可见。
- 在应用内录制一段简短的 **自拍视频**，用于和证件照片进行比对。
- 有时还需要近 3 个月内的 **地址证明**，例如水电费账单或银行对账单。

## 一次通过的小技巧
- 光线充足，避免证件反光。
- 确保姓名与账户中填写的完全一致，包括中间名。
- 不要上传截图或复印件。

## 验证未通过
应用会显示未通过的原因，您可以立即重新提交。连续三次未通过后，会由专员人工审核您的资料，并在 2 个工作日内与您联系。`,
  },
  {
    group: 'exchange-rates',
    slug: 'exchange-rates',
    locale: 'en',
    title: 'How exchange rates and fees work',
    category: 'transfers',
    tags: ['exchange-rate', 'currency', 'fees'],
    questions: ['what rate do you use to convert currency', 'is there a fee for spending abroad', 'why was I charged more in euros'],
    body: `When you spend or send money in another currency, we convert it at the **live exchange rate** shown in the app at the time of the payment.

## Fees
- **Weekdays**: no markup within your plan's monthly allowance; above it, a 0.5% fee applies.
- **Weekends**: currency markets are closed, so we add a 1% markup to cover price movements before they reopen on Monday.
- **Cash withdrawals abroad**: free up to your monthly allowance, then 2%.

You always see the rate and any fee **before** you confirm an exchange or transfer.

## Paying by card abroad
Always choose to pay in the **local currency**. If a card terminal or cash machine offers to charge you in pounds ("dynamic currency conversion"), the merchant sets the rate, and it is usually much worse than ours.

## Rate alerts
Set an alert under **Exchange → Rate alerts** and we'll notify you when a currency reaches the rate you want.`,
  },
  {
    group: 'exchange-rates',
    slug: 'exchange-rates',
    locale: 'zh-CN',
    title: '汇率和手续费说明',
    category: 'transfers',
    tags: ['汇率', '外币', '手续费'],
    questions: ['汇率怎么算', '境外消费收手续费吗', '换外币用的是什么汇率'],
    body: `当您用其他币种消费或汇款时，我们会按付款时应用内显示的 **实时汇率** 进行兑换。

## 手续费
- **工作日**：在您套餐的每月额度内不加收汇率差价，超出部分收取 0.5% 的手续费。
- **周末**：外汇市场休市，为应对周一开盘前的汇率波动，我们会加收 1% 的差价。
- **境外取现**：每月额度内免费，超出后收取 2%。

在确认兑换或汇款 **之前**，您都能看到具体汇率和手续费。

## 境外刷卡
请始终选择以 **当地货币** 支付。如果刷卡机或取款机提示以英镑结算（即“动态货币转换”），汇率由商家决定，通常比我们的汇率差很多。

## 汇率提醒
在 **兑换 → 汇率提醒** 中设置目标汇率，达到时我们会通知您。`,
  },
  {
    group: 'close-account',
    slug: 'close-account',
    locale: 'en',
    title: 'Closing your account',
    category: 'account',
    tags: ['close', 'account', 'balance'],
    questions: ['delete my account please', "I don't want to use this app anymore", 'how do I cancel my membership and get my balance out'],
    body: `We're sorry to see you go. You can close your account yourself in the app in a few minutes.

## Before you close
1. **Move your money out.** Transfer the balance in every currency to another bank account: an account with money in it can't be closed.
2. **Cancel recurring payments** such as subscriptions and standing orders linked to your card.
3. **Wait for pending payments** and refunds to complete.
4. **Download your statements** from **Account → Statements**; you won't be able to see them in the app afterwards.

## Close the account
Go to **Account → Settings → Close account**, tell us why you're leaving if you like, and confirm. Your cards stop working immediately.

## After closing
We keep your records for 5 years, as the law requires, and then delete them. A refund that arrives after you close will be returned to the sender: contact us and we'll help you receive it. You're welcome to open a new account at any time.`,
  },
  {
    group: 'close-account',
    slug: 'close-account',
    locale: 'zh-CN',
    title: '如何注销账户',
    category: 'account',
    tags: ['注销', '账户', '余额'],
    questions: ['不想用了怎么销户', '帮我把账号删了', '注销以后余额怎么取出来', '怎么彻底删除账户'],
    body: `很遗憾您要离开。您可以在应用中自行注销账户，只需几分钟。

## 注销之前
1. **转出资金**：把所有币种的余额转到其他银行账户。账户内仍有余额时无法注销。
2. **取消定期扣款**：例如与卡片绑定的订阅和定期付款。
3. **等待处理中的交易**：包括尚未完成的付款和退款。
4. **下载对账单**：在 **账户 → 对账单** 中下载，注销后将无法在应用内查看。

## 注销账户
进入 **账户 → 设置 → 注销账户**，可选择填写离开的原因，然后确认。您的卡片会立即停用。

## 注销之后
按照法律要求，我们会将您的记录保存 5 年，之后予以删除。注销后到账的退款会被退回付款方；请联系我们，我们会协助您收回款项。欢迎您随时重新开户。`,
  },
];

export const demoSlaPolicies: readonly DemoSlaPolicy[] = [
  {
    name: 'Low priority',
    priority: 'low',
    firstResponseMinutes: 8 * 60,
    nextResponseMinutes: 12 * 60,
    resolutionMinutes: 3 * 24 * 60,
    warningPercent: 80,
    escalation: [{ action: 'notify' }],
  },
  {
    name: 'Normal priority',
    priority: 'normal',
    firstResponseMinutes: 2 * 60,
    nextResponseMinutes: 4 * 60,
    resolutionMinutes: 24 * 60,
    warningPercent: 80,
    escalation: [{ action: 'notify' }, { action: 'raise_priority' }],
  },
  {
    name: 'High priority',
    priority: 'high',
    firstResponseMinutes: 30,
    nextResponseMinutes: 60,
    resolutionMinutes: 8 * 60,
    warningPercent: 80,
    escalation: [{ action: 'notify' }, { action: 'raise_priority' }, { action: 'move_to_expert' }],
  },
  {
    name: 'Urgent priority',
    priority: 'urgent',
    firstResponseMinutes: 10,
    nextResponseMinutes: 30,
    resolutionMinutes: 4 * 60,
    warningPercent: 80,
    escalation: [{ action: 'notify' }, { action: 'move_to_expert' }],
  },
];

export const demoChannels: readonly DemoChannel[] = [
  {
    kind: 'web_chat',
    name: 'Website chat',
    // Pages allowed to embed the widget: the console's own origin and the Vite dev server.
    settings: { allowedOrigins: ['http://localhost:3000', 'http://localhost:5173'] },
  },
  { kind: 'email', name: 'Support email', settings: { address: 'support@seamless.local' } },
  { kind: 'api', name: 'API', settings: {} },
];

export const demoCannedResponses: readonly DemoCannedResponse[] = [
  { shortcut: 'greeting', locale: 'en', title: 'Greeting', body: 'Hi, thanks for contacting us! Let me look into this for you.', team: null },
  { shortcut: 'greeting', locale: 'zh-CN', title: '问候', body: '您好，感谢您联系我们！我来帮您查一下。', team: null },
  {
    shortcut: 'card-delivery',
    locale: 'en',
    title: 'Card delivery times',
    body: 'Cards usually arrive within 5 working days. If yours has not arrived after 10 working days, we can send a new one free of charge.',
    team: null,
  },
  {
    shortcut: 'card-delivery',
    locale: 'zh-CN',
    title: '卡片寄送时间',
    body: '卡片通常在 5 个工作日内送达。如果 10 个工作日后仍未收到，我们可以免费为您补寄一张新卡。',
    team: null,
  },
  { shortcut: 'refund', locale: 'en', title: 'Refund timeline', body: 'Refunds go back to the original payment method within 3-5 working days.', team: null },
  { shortcut: 'refund', locale: 'zh-CN', title: '退款时间', body: '退款将在 3-5 个工作日内退回原支付方式。', team: null },
  {
    shortcut: 'escalate-tech',
    locale: 'en',
    title: 'Passing to engineering',
    body: 'I have passed this to our engineering team with the details you sent. We will update you as soon as we hear back.',
    team: 'Specialists',
  },
  { shortcut: 'closing', locale: 'zh-CN', title: '结束语', body: '还有其他可以帮您的吗？祝您生活愉快！', team: null },
];

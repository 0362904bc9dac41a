// The demo business's shop help centre (issue 21 item 10): Acme Store, the shop of the widget's demo
// page (console/widget.html), in English and Simplified Chinese, with the questions customers ask
// first — where is my order, delivery, returns, cancelling, exchanges, codes, signing in. Its
// payment card and wallet, Acme Pay, has the card and money articles of prisma/demo-data.ts, and
// refunds are there too (refund-status). Written for the demo; the facts agree with the demo
// page's own answers and between the languages. The `questions` are customers' words: they rank
// the article for the bot and search, and are never shown.
import type { DemoArticle } from './demo-data.js';

export const demoShopArticles: readonly DemoArticle[] = [
  {
    group: 'order-status',
    slug: 'where-is-my-order',
    locale: 'en',
    title: 'Where is my order?',
    category: 'orders',
    tags: ['order', 'tracking', 'delivery'],
    questions: [
      'Where is my order?',
      'my order still hasnt arrived',
      'how do I track my parcel',
      'I ordered on Monday, when will it get here?',
      'no tracking number yet',
      'tracking says delivered but I cannot find the parcel',
    ],
    body: `Orders leave our warehouse within **2 working days**. As soon as yours is on its way we email you a tracking link, and you can follow it any time under **Account → Orders**.

## Reading the status
- **Processing**: we are picking and packing your order; there is no tracking number yet.
- **Dispatched**: the courier has it. The first tracking scan can take up to 24 hours to appear.
- **Delivered**: the courier says it arrived. Check with neighbours and any safe place you chose.

## When to contact us
If your order has said **Processing** for more than 2 working days, tracking has not moved for 3 working days, or it says **Delivered** but you cannot find it after 48 hours, write to us with your order number. We chase the courier and, if the parcel is lost, send a replacement or refund you in full.`,
  },
  {
    group: 'order-status',
    slug: 'where-is-my-order',
    locale: 'zh-CN',
    title: '我的订单到哪了？',
    category: 'orders',
    tags: ['订单', '物流', '配送'],
    questions: ['我的订单到哪了？', '订单怎么还没到', '怎么查物流', '下单好几天了什么时候能到', '还没有快递单号', '显示已签收但我没收到包裹'],
    body: `订单会在 **2 个工作日**内从仓库发出。发货后我们会给您发送带有物流跟踪链接的邮件，您也可以随时在 **账户 → 我的订单** 中查看。

## 订单状态说明
- **处理中**：我们正在拣货和打包，暂时还没有快递单号。
- **已发货**：包裹已交给快递公司，第一条物流记录最多可能需要 24 小时才会出现。
- **已签收**：快递公司显示已送达。请问问邻居，并查看您选择的代收地点。

## 什么时候联系我们
如果订单显示 **处理中** 超过 2 个工作日、物流信息 3 个工作日没有更新，或者显示 **已签收** 但 48 小时后仍找不到包裹，请把订单号发给我们。我们会向快递公司核实；如果包裹丢失，我们会为您补发或全额退款。`,
  },
  {
    group: 'delivery-options',
    slug: 'delivery-options',
    locale: 'en',
    title: 'Delivery times, costs and countries',
    category: 'delivery',
    tags: ['delivery', 'shipping', 'international'],
    questions: [
      'Do you ship abroad?',
      'how much is delivery',
      'How long does delivery take?',
      'do you deliver to China',
      'is there free shipping',
      'will I have to pay customs duties',
    ],
    body: `We deliver to the **UK, the EU, the US and China**.

| Where | Usually arrives | Cost |
|---|---|---|
| UK standard | 2–3 working days after dispatch | £3.95, free over £40 |
| UK express | next working day if ordered by 2 pm | £6.95 |
| EU | 3–6 working days | £9.95 |
| US | 4–8 working days | £14.95 |
| China | 5–10 working days | £14.95 |

## Duties and taxes
For deliveries outside the UK, import duties and taxes are shown at checkout and paid with your order, so the courier never asks you for more on the doorstep.

Orders leave our warehouse within 2 working days; the date for your address is shown at checkout before you pay.`,
  },
  {
    group: 'delivery-options',
    slug: 'delivery-options',
    locale: 'zh-CN',
    title: '配送时间、运费和可配送的国家',
    category: 'delivery',
    tags: ['配送', '运费', '国际'],
    questions: ['你们能寄到国外吗？', '运费多少', '配送要多久', '能寄到中国吗', '有没有包邮', '要交关税吗'],
    body: `我们可以配送到 **英国、欧盟、美国和中国**。

| 地区 | 通常送达时间 | 运费 |
|---|---|---|
| 英国标准配送 | 发货后 2–3 个工作日 | £3.95，满 £40 包邮 |
| 英国加急 | 下午 2 点前下单，次个工作日送达 | £6.95 |
| 欧盟 | 3–6 个工作日 | £9.95 |
| 美国 | 4–8 个工作日 | £14.95 |
| 中国 | 5–10 个工作日 | £14.95 |

## 关税和税费
寄往英国以外的订单，进口关税和税费会在结算时显示，并随订单一起支付，快递员不会在送货时再向您收费。

订单会在 2 个工作日内从仓库发出；您的地址对应的预计送达日期会在付款前的结算页面显示。`,
  },
  {
    group: 'return-item',
    slug: 'return-an-item',
    locale: 'en',
    title: 'How do I return an item?',
    category: 'returns',
    tags: ['return', 'refund', 'label'],
    questions: [
      'How do I return an item?',
      'I want to send something back',
      'can I return shoes I bought last week',
      'how long do I have to return',
      'where do I get a return label',
      'return policy',
    ],
    body: `You can return anything within **30 days of delivery**, unused and with its tags.

## Starting a return
1. Go to **Account → Orders**, choose the order and tap **Return an item**.
2. Pick the items and a reason, then print the **prepaid label** (free in the UK; for other countries its cost is shown before you confirm).
3. Drop the parcel at any post office or courier point and keep the receipt.

## Your refund
We refund you within **2 working days** of the return reaching our warehouse, to the way you paid (see *When will I get my refund?*). Want another size or colour instead? Choose **Exchange** rather than Return.

Underwear, pierced earrings and personalised items cannot be returned unless they are faulty.`,
  },
  {
    group: 'return-item',
    slug: 'return-an-item',
    locale: 'zh-CN',
    title: '怎么退货？',
    category: 'returns',
    tags: ['退货', '退款', '退货标签'],
    questions: ['怎么退货？', '我想把东西寄回去', '上周买的鞋可以退吗', '退货期限是多久', '退货标签在哪里拿', '退货政策'],
    body: `商品在 **签收后 30 天内**、未使用且吊牌完好，都可以退货。

## 如何申请退货
1. 进入 **账户 → 我的订单**，选择订单后点击 **退货**。
2. 选择要退的商品和原因，然后打印 **预付邮资的退货标签**（英国境内免费；其他国家的费用会在确认前显示）。
3. 把包裹交到任意邮局或快递网点，并保留好收据。

## 退款
仓库收到退货后 **2 个工作日内**，我们会按您的原付款方式退款（见《退款什么时候到账？》）。想换尺码或颜色？请选择 **换货** 而不是退货。

贴身衣物、耳钉和定制商品如无质量问题不支持退货。`,
  },
  {
    group: 'cancel-order',
    slug: 'cancel-an-order',
    locale: 'en',
    title: 'Cancelling an order',
    category: 'orders',
    tags: ['cancel', 'order'],
    questions: [
      'Can I cancel my order?',
      'I ordered by mistake, please cancel',
      'how do I cancel an order',
      'cancel order before it ships',
      'changed my mind about my order',
    ],
    body: `You can cancel free of charge until your order is **dispatched**.

## Cancelling
Go to **Account → Orders**, open the order and tap **Cancel order**. You can also cancel single items. We refund you at once, to the way you paid.

## Already dispatched?
Once an order says **Dispatched** it can no longer be cancelled. Refuse the delivery, or return it within 30 days for a refund (see *How do I return an item?*).`,
  },
  {
    group: 'cancel-order',
    slug: 'cancel-an-order',
    locale: 'zh-CN',
    title: '如何取消订单',
    category: 'orders',
    tags: ['取消', '订单'],
    questions: ['怎么取消订单？', '下错单了，请帮我取消', '订单还没发货能取消吗', '不想要了能取消吗', '取消订单'],
    body: `订单在 **发货之前** 都可以免费取消。

## 如何取消
进入 **账户 → 我的订单**，打开订单并点击 **取消订单**，也可以只取消其中的部分商品。我们会立即按原付款方式退款。

## 已经发货了？
订单显示 **已发货** 后就无法取消了。您可以拒收包裹，或在 30 天内申请退货退款（见《怎么退货？》）。`,
  },
  {
    group: 'change-address',
    slug: 'change-delivery-address',
    locale: 'en',
    title: 'Changing your delivery address',
    category: 'delivery',
    tags: ['address', 'delivery', 'order'],
    questions: [
      'I put the wrong address on my order',
      'new delivery address for my order',
      'can I send my order to a different address',
      'update shipping address',
      'change the phone number on my order',
    ],
    body: `## Before dispatch
Open **Account → Orders**, choose the order and tap **Edit delivery details** to change the address or phone number. This works until the order says **Dispatched**.

## After dispatch
We can no longer change the address, but the courier can: use the tracking link in your dispatch email to choose another day, a neighbour, a safe place or a pick-up point.

Your saved addresses for future orders are under **Account → Addresses**.`,
  },
  {
    group: 'change-address',
    slug: 'change-delivery-address',
    locale: 'zh-CN',
    title: '修改收货地址',
    category: 'delivery',
    tags: ['地址', '配送', '订单'],
    questions: ['怎么修改收货地址？', '订单地址填错了', '能把订单寄到别的地址吗', '改一下收货地址', '修改订单上的电话号码'],
    body: `## 发货之前
打开 **账户 → 我的订单**，选择订单后点击 **修改收货信息**，即可更改地址或电话号码。在订单显示 **已发货** 之前都可以修改。

## 发货之后
我们无法再修改地址，但快递公司可以：通过发货邮件中的物流链接，您可以改约送货日期、交给邻居、放在指定的安全地点或改为自提点取件。

以后下单使用的常用地址可以在 **账户 → 地址管理** 中修改。`,
  },
  {
    group: 'damaged-item',
    slug: 'damaged-or-wrong-item',
    locale: 'en',
    title: 'My item arrived damaged, faulty or wrong',
    category: 'returns',
    tags: ['damaged', 'faulty', 'wrong item'],
    questions: [
      'My item arrived damaged',
      'the jacket I got is the wrong size from what I ordered',
      'my headphones stopped working',
      'received the wrong item',
      'the box was crushed and it is broken',
    ],
    body: `Sorry about that — we will put it right at no cost to you.

## Tell us
Go to **Account → Orders**, choose the item and tap **Report a problem**. Add a photo of the damage, or of the label of the wrong item, and say whether you want a **replacement** or a **refund**.

## What happens next
- Damaged in delivery or the wrong item: tell us within **30 days**. We send the replacement straight away; usually you do not need to send anything back.
- Faulty later on: everything we sell has a **12-month guarantee**. We repair, replace or refund it, and collect the faulty item for free.`,
  },
  {
    group: 'damaged-item',
    slug: 'damaged-or-wrong-item',
    locale: 'zh-CN',
    title: '收到的商品损坏、有故障或发错了',
    category: 'returns',
    tags: ['损坏', '故障', '发错货'],
    questions: ['收到的商品坏了怎么办？', '收到的尺码和我订的不一样', '耳机用了几天就坏了', '发错货了', '箱子被压坏了东西也坏了'],
    body: `非常抱歉，我们会免费为您处理。

## 告诉我们
进入 **账户 → 我的订单**，选择该商品并点击 **报告问题**。请附上损坏处的照片，或发错商品的标签照片，并选择要 **换新** 还是 **退款**。

## 接下来
- 运输中损坏或发错商品：请在 **30 天内** 告诉我们。我们会立即寄出新的商品，通常无需寄回原商品。
- 之后出现故障：我们出售的所有商品都享有 **12 个月保修**。我们会维修、换新或退款，并免费上门取回故障商品。`,
  },
  {
    group: 'exchange-item',
    slug: 'exchange-size-or-colour',
    locale: 'en',
    title: 'Exchanging for another size or colour',
    category: 'returns',
    tags: ['exchange', 'size', 'colour'],
    questions: [
      'Can I exchange for a different size?',
      'these trousers are too small, can I swap them',
      'I want the same shoes in black',
      'exchange an item',
      'swap for a bigger size',
    ],
    body: `Exchanges are **free within 30 days** of delivery, for the same item in another size or colour.

## How to exchange
Go to **Account → Orders**, choose the item and tap **Exchange**, then pick the new size or colour. Send the original back with the prepaid label.

We dispatch the new item as soon as the courier scans your parcel, so you do not wait for it to reach us. If the size or colour you want is out of stock, we refund you instead.

For a different item altogether, return this one for a refund and place a new order.`,
  },
  {
    group: 'exchange-item',
    slug: 'exchange-size-or-colour',
    locale: 'zh-CN',
    title: '换尺码或换颜色',
    category: 'returns',
    tags: ['换货', '尺码', '颜色'],
    questions: ['可以换尺码吗？', '裤子小了能换吗', '我想换同款黑色的', '怎么换货', '换大一号'],
    body: `签收后 **30 天内** 可以免费换货，换成同一商品的其他尺码或颜色。

## 如何换货
进入 **账户 → 我的订单**，选择该商品并点击 **换货**，然后选择新的尺码或颜色，用预付邮资的标签把原商品寄回。

快递公司扫描您的包裹后，我们就会寄出新商品，不必等原商品寄到仓库。如果您想要的尺码或颜色缺货，我们会改为退款。

如果想换成完全不同的商品，请先退货退款，再重新下单。`,
  },
  {
    group: 'discount-code',
    slug: 'discount-code-not-working',
    locale: 'en',
    title: 'My discount code is not working',
    category: 'orders',
    tags: ['discount', 'promo code', 'voucher'],
    questions: [
      'My discount code does not work',
      'promo code invalid',
      'the voucher says it has expired',
      'forgot to use my discount code',
      'can I use two codes on one order',
    ],
    body: `Enter the code at checkout under **Add a discount code**. If it is refused, check:

1. **Expiry date and minimum spend**, shown in the email or offer that gave you the code.
2. **Excluded items**: codes do not apply to items already on sale or to gift cards.
3. **One code per order**: codes cannot be combined.
4. **Typing**: codes are not case-sensitive, but a space before or after the code stops it working.

## Forgot to use it?
Codes cannot be added to an order already placed. Write to us within **14 days** with your order number and the code, and if it was valid we refund the difference.`,
  },
  {
    group: 'discount-code',
    slug: 'discount-code-not-working',
    locale: 'zh-CN',
    title: '优惠码无法使用',
    category: 'orders',
    tags: ['优惠码', '折扣', '优惠券'],
    questions: ['优惠码用不了', '提示优惠码无效', '优惠券显示已过期', '下单时忘了用优惠码', '一个订单能用两个优惠码吗'],
    body: `请在结算页面的 **添加优惠码** 处输入。如果无法使用，请检查：

1. **有效期和最低消费**：见发给您优惠码的邮件或活动页面。
2. **不适用的商品**：优惠码不适用于已打折的商品和礼品卡。
3. **每单限用一个**：优惠码不能叠加使用。
4. **输入方式**：优惠码不区分大小写，但前后多出的空格会导致无法使用。

## 忘了使用？
已下的订单无法再添加优惠码。请在 **14 天内** 把订单号和优惠码发给我们，如果优惠码有效，我们会退还差价。`,
  },
  {
    group: 'sign-in-help',
    slug: 'cannot-sign-in',
    locale: 'en',
    title: "I can't sign in to my account",
    category: 'account',
    tags: ['account', 'password', 'sign in'],
    questions: [
      "I can't log in to my account",
      'forgot my password',
      'the password reset email never came',
      'my account is locked',
      'I no longer have access to the email on my account',
    ],
    body: `## Forgotten password
On the sign-in page tap **Forgot password** and we email you a reset link. It works for **1 hour**; if it does not arrive within a few minutes, check your spam folder and ask for a new one.

## Locked account
After 5 wrong passwords your account locks for **30 minutes** to keep it safe, then unlocks on its own.

## Changed your email address?
If you can no longer read the email on your account, write to us with your name and the number of a recent order. We confirm it is you and move the account to your new address.`,
  },
  {
    group: 'sign-in-help',
    slug: 'cannot-sign-in',
    locale: 'zh-CN',
    title: '无法登录账户',
    category: 'account',
    tags: ['账户', '密码', '登录'],
    questions: ['登录不了账号怎么办？', '忘记密码了', '收不到重置密码的邮件', '账号被锁定了', '注册邮箱已经不用了'],
    body: `## 忘记密码
在登录页点击 **忘记密码**，我们会给您发送重置链接，链接 **1 小时内** 有效；如果几分钟内没有收到，请检查垃圾邮件，再重新获取。

## 账户被锁定
连续输错 5 次密码后，为保护账户安全，账户会被锁定 **30 分钟**，之后会自动解锁。

## 更换了邮箱？
如果已经无法查看账户绑定的邮箱，请把您的姓名和一个近期订单号发给我们。确认是您本人后，我们会把账户改绑到新邮箱。`,
  },
];

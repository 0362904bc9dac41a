// Splits a plain-text email body into the new reply, the quoted history and the signature, for
// display; the full text is kept by the caller. Line by line with bounded patterns (linear time
// on any input: email-reply-parser's multi-line patterns take quadratic time on long Chinese
// bodies), English and Chinese (Simplified and Traditional) clients' quote headers:
//   On Mon, Dec 1, 2026 at 10:00 AM Ann <ann@example.com> wrote:      (Gmail, may wrap)
//   在 2026年12月1日周二 10:00，张三 <zhang@example.cn> 写道：            (Gmail, Chinese)
//   2026年12月1日 上午10:00，張三 <zhang@example.tw> 寫道：               (Apple Mail, Chinese)
//   From: … / Sent: … / To: … / Subject: …                            (Outlook, also 发件人/寄件者)
//   -----Original Message----- / ------------------ 原始邮件 ------------------
// and trailing runs of "> " lines. Signatures: the "-- " delimiter, and "Sent from my iPhone"
// style lines (发自我的iPhone, 从我的 iPhone 发送, Get Outlook for iOS) at the end of the reply.

export interface SplitReply {
  /** The new text, trimmed. Equals the whole body when nothing was recognised. */
  reply: string;
  /** From the first quote header (or quoted run) to the end; null when there is none. */
  quoted: string | null;
  /** The signature cut from the end of the reply; null when there is none. */
  signature: string | null;
}

/** Lines longer than this are never quote headers (keeps the per-line patterns cheap). */
const maxHeaderLine = 400;

const quoteHeaderLine = [
  /^\s*On\s.{1,300}\swrote:?\s*$/i,
  /^\s*Le\s.{1,300}\sa\s[ée]crit\s?:\s*$/i,
  /^\s*Am\s.{1,300}\sschrieb.{0,200}:\s*$/i,
  /^\s*[在於]\s?.{1,300}[写寫]道\s*[:：]?\s*$/,
  /^\s*\d{4}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日.{1,300}[写寫]道\s*[:：]\s*$/,
  /^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{1,300}(?:wrote|[写寫]道)\s*[:：]\s*$/i,
  /^\s*-{2,}\s*(?:Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*(?:原始邮件|原始郵件|转发邮件信息|转发的邮件|轉寄郵件|原始信件)\s*-{2,}\s*$/,
];
/** A header that may wrap onto the next line: "On …" / "在 …" then "… wrote:" / "… 写道：". */
const wrappedStart = /^\s*(?:On\s|[在於]\s?\d)/;
const wrappedEnd = /(?:wrote:?|[写寫]道\s*[:：]?)\s*$/i;

const outlookFrom = /^\s*(?:\*?From\*?|发件人|寄件者|發件人|De|Von)\s*[:：]/i;
const outlookField = /^\s*\*?(?:Sent|Date|To|Subject|Cc|发送时间|收件人|主题|抄送|时间|日期|寄件日期|主旨|副本)\*?\s*[:：]/i;
const underscoreRule = /^\s*_{10,}\s*$/;

const signatureDelimiter = /^-- ?$/;
const deviceSignature = [
  /^\s*Sent from (?:my |Mail for |Outlook|Yahoo).{0,60}$/i,
  /^\s*Get Outlook for .{1,40}$/i,
  /^\s*发自我的.{1,30}$/,
  /^\s*從我的.{1,30}傳送$/,
  /^\s*从我的.{1,30}发送$/,
  /^\s*(?:寄自我的|傳自我的).{1,30}$/,
];

function isQuoteHeader(lines: string[], index: number): boolean {
  const line = lines[index]!;
  if (line.length > maxHeaderLine) return false;
  if (quoteHeaderLine.some((pattern) => pattern.test(line))) return true;
  const next = lines[index + 1];
  if (next !== undefined && next.length <= maxHeaderLine && wrappedStart.test(line) && !wrappedEnd.test(line) && wrappedEnd.test(next)) {
    const joined = `${line} ${next}`;
    return quoteHeaderLine.some((pattern) => pattern.test(joined));
  }
  if (outlookFrom.test(line)) {
    // Outlook's header block: From, then at least two of Sent/To/Subject… within the next lines.
    let fields = 0;
    for (let look = index + 1; look < Math.min(lines.length, index + 6); look += 1) if (outlookField.test(lines[look]!)) fields += 1;
    return fields >= 2;
  }
  if (underscoreRule.test(line)) return lines[index + 1] !== undefined && outlookFrom.test(lines[index + 1]!);
  return false;
}

export function splitReplyText(body: string): SplitReply {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let index = 0; index < lines.length; index += 1) {
    if (isQuoteHeader(lines, index)) {
      cut = index;
      break;
    }
  }
  // A trailing run of "> " lines (blank lines inside it allowed) is quoted history too.
  let end = cut;
  while (end > 0 && lines[end - 1]!.trim() === '') end -= 1;
  let quoteStart = end;
  while (
    quoteStart > 0 &&
    (lines[quoteStart - 1]!.startsWith('>') || (lines[quoteStart - 1]!.trim() === '' && quoteStart - 1 > 0 && lines[quoteStart - 2]!.startsWith('>')))
  )
    quoteStart -= 1;
  if (quoteStart < end && lines[quoteStart]!.startsWith('>')) {
    cut = quoteStart;
    // The header line just before a quoted run ("… wrote:") belongs to the history.
    let before = cut - 1;
    while (before >= 0 && lines[before]!.trim() === '') before -= 1;
    if (before >= 0 && lines[before]!.length <= maxHeaderLine && wrappedEnd.test(lines[before]!)) cut = before;
  }

  const replyLines = lines.slice(0, cut);
  let signatureAt: number | null = null;
  for (let index = replyLines.length - 1; index >= 0; index -= 1) {
    if (signatureDelimiter.test(replyLines[index]!)) {
      signatureAt = index;
      break;
    }
  }
  if (signatureAt === null) {
    // A device line only counts as a signature among the last few non-empty lines.
    let seen = 0;
    for (let index = replyLines.length - 1; index >= 0 && seen < 3; index -= 1) {
      if (replyLines[index]!.trim() === '') continue;
      seen += 1;
      if (replyLines[index]!.length <= maxHeaderLine && deviceSignature.some((pattern) => pattern.test(replyLines[index]!))) signatureAt = index;
    }
  }
  const reply = (signatureAt === null ? replyLines : replyLines.slice(0, signatureAt)).join('\n').trim();
  const signature = signatureAt === null ? null : replyLines.slice(signatureAt).join('\n').trim() || null;
  const quoted = cut < lines.length ? lines.slice(cut).join('\n').trim() || null : null;
  // Never hide everything: a message that is all quote (a forward) shows in full.
  if (reply === '' && quoted !== null) return { reply: body.trim(), quoted: null, signature: null };
  return { reply, quoted, signature };
}

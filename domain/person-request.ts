// Whether a customer's message asks for a person ("talk to a human", "转人工", "轉人工"), so a
// typed request takes the same path as the widget's "Talk to a person" button: the bot does not
// try to answer it, a bot already serving hands over at once, and the widget says it is
// connecting the customer to a person (issue 21 item 11). Shared by the activities (server) and
// the widget (browser). Deliberately narrow: a false "yes" takes a question the bot could have
// answered away from it, while a missed request still reaches a person on the customer's next
// message (the bot answers the first message only).

/** Someone who is not the bot. */
const person = String.raw`(?:a |an |the |some |your |one of your )?(?:real |live |actual |human )?(?:human(?: being)?|person|people|agent|representative|rep|operator|someone|somebody|staff|employee|customer (?:service|support|care)(?: agent| rep| representative)?)\b`;

const english = [
  // "talk to a human", "can I speak with someone", "connect me to an agent", "transfer me to a person"
  new RegExp(String.raw`\b(?:talk|speak|chat|connect|transfer|put|pass|get|switch)(?:ing)?(?: me)?(?: through)? (?:to|with) ${person}`, 'i'),
  // "I want a human", "I need to talk to an agent", "can I get a real person", "give me a person"
  new RegExp(
    String.raw`\b(?:i (?:want|need|would like|'d like)|can i (?:get|have)|could i (?:get|have)|get me|give me)(?: to (?:talk|speak|chat) (?:to|with))? ${person}`,
    'i',
  ),
  // "agent please", "human pls", "representative now"
  /\b(?:human|agent|person|representative|operator)[\s,!.]*(?:please|pls|plz|now)\b/i,
  // "a real person", "live agent", "not a bot"
  /\b(?:real|live|actual) (?:human|person|agent)\b|\bnot (?:a |the )?(?:bot|robot|machine)\b/i,
];

/** The whole message is one of these words (with punctuation): "Human!", "agent?". */
const englishAlone = /^(?:human|agent|person|representative|operator|customer service)$/i;

const chinese = [
  // 转人工 / 轉人工, 转接人工, 转客服
  /[转轉](?:接)?(?:人工|客服|真人)/,
  // 人工客服 / 人工服务 / 人工服務 / 真人客服 / 客服人员 / 客服人員 / 找客服 / 找人工 / 要人工 / 联系客服 / 聯繫客服
  /人工(?:客服|服[务務]|坐席|座席)|真人|客服(?:人[员員]|小姐姐|专员|專員)|(?:找|要|叫|接|联系|聯繫|联络|聯絡)(?:一下)?(?:人工|客服)/,
  // 我要跟人说 / 我想和人聊 / 跟人对话
  /(?:跟|和|与|與)(?:真)?人(?:说|說|聊|谈|談|对话|對話)/,
];

/** The whole message is 人工 (the word alone, as customers type it into Chinese bots), with punctuation. */
const chineseAlone = /^(?:人工|客服|人工吧|人工谢谢|人工謝謝)$/;

/** Punctuation and spaces around a message, in both scripts. */
const edges = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** Whether `text` asks to be put through to a person instead of the bot. */
export function asksForPerson(text: string): boolean {
  const bare = text.replace(edges, '').replace(/\s+/g, ' ');
  if (!bare) return false;
  if (englishAlone.test(bare) || chineseAlone.test(bare)) return true;
  // 人工智能 / 人工智慧 is "artificial intelligence", not a request for a person.
  const chineseText = bare.replace(/人工智[能慧]/g, '');
  return english.some((pattern) => pattern.test(bare)) || chinese.some((pattern) => pattern.test(chineseText));
}

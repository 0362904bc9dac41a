// The plain-text reply format of a streamed answer (openai-ai.ts): the answer, then a line
// "SOURCES: <article ids>"; or, when the passages do not hold the answer, only the refusal token.
// While the reply streams, only text that is surely the answer is shown: the sources line, the
// refusal token and any tail that could still become either are held back. The visible text only
// ever grows, so what was shown is always the start of what is stored.

/** The whole reply when the passages do not contain the answer. */
export const noAnswerToken = 'NO_ANSWER';
/** Starts the line that lists the cited article ids. */
export const sourcesMarker = 'SOURCES:';

/** The longest end of `text` that is a proper start of `marker` ("SOU" of "SOURCES:"), as a length. */
function pendingMarker(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) if (marker.startsWith(text.slice(-length))) return length;
  return 0;
}

/**
 * The answer text of a reply received so far: before the sources line, trimmed. Not `final` (still
 * streaming): also without a tail that may be the start of the sources marker, and empty while the
 * reply may still be the refusal token.
 */
export function streamedAnswerText(reply: string, { final }: { final: boolean }): string {
  const start = reply.trimStart();
  if (start.startsWith(noAnswerToken) || (!final && noAnswerToken.startsWith(start))) return '';
  const at = reply.indexOf(sourcesMarker);
  if (at >= 0) return reply.slice(0, at).trim();
  return (final ? reply : reply.slice(0, reply.length - pendingMarker(reply, sourcesMarker))).trim();
}

/** A finished reply: the refusal, or the answer and the ids its sources line names (in order, once each). */
export function parseStreamedAnswer(reply: string): { refused: true } | { refused: false; text: string; sources: string[] } {
  if (reply.trimStart().startsWith(noAnswerToken)) return { refused: true };
  const at = reply.indexOf(sourcesMarker);
  const line = at < 0 ? '' : (reply.slice(at + sourcesMarker.length).split('\n')[0] ?? '');
  const sources = [
    ...new Set(
      line
        .split(/[\s,;]+/u)
        .map((id) => id.replace(/^[[("'`]+|[\])"'`.]+$/gu, ''))
        .filter(Boolean),
    ),
  ];
  return { refused: false, text: streamedAnswerText(reply, { final: true }), sources };
}

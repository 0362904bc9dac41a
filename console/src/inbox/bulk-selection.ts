// The inbox's selection for bulk actions, as pure functions: a click toggles a row, a
// shift-click selects the range from the last row clicked, "select all" takes the page's rows
// (or clears them when all are selected); rows that leave the list leave the selection.
import type { BulkConversationOutcome } from '../../../contract/views';

export interface Selection {
  ids: ReadonlySet<string>;
  /** The row last clicked: where a shift-click's range starts. */
  anchor: string | null;
}

export const noSelection: Selection = { ids: new Set(), anchor: null };

/** A click on a row's checkbox; `range` (shift held) selects every row from the anchor to it, in the list's order. */
export function toggleRow(selection: Selection, id: string, order: readonly string[], range: boolean): Selection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (range && from !== -1 && to !== -1) {
    const ids = new Set(selection.ids);
    for (const rowId of order.slice(Math.min(from, to), Math.max(from, to) + 1)) ids.add(rowId);
    return { ids, anchor: id };
  }
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Whether every row of the list is selected (the "select all" box is ticked). */
export function allSelected(selection: Selection, order: readonly string[]): boolean {
  return order.length > 0 && order.every((id) => selection.ids.has(id));
}

/** "Select all on page": every row of the list, or none when they all were. */
export function toggleAll(selection: Selection, order: readonly string[]): Selection {
  return allSelected(selection, order) ? noSelection : { ids: new Set(order), anchor: selection.anchor };
}

/** Only the rows still in the list stay selected (a row resolved, filtered out or moved away drops out). */
export function pruneSelection(selection: Selection, order: readonly string[]): Selection {
  const present = new Set(order);
  if ([...selection.ids].every((id) => present.has(id))) return selection;
  return {
    ids: new Set([...selection.ids].filter((id) => present.has(id))),
    anchor: selection.anchor && present.has(selection.anchor) ? selection.anchor : null,
  };
}

/** What a bulk action did: how many changed, and each refusal's message (by conversation number when known). */
export function bulkSummary(outcomes: readonly BulkConversationOutcome[]): { changed: number; failed: { conversationId: string; message: string }[] } {
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [{ conversationId: outcome.conversationId, message: outcome.error.message }]));
  return { changed: outcomes.length - failed.length, failed };
}

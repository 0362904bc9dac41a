// The inbox selection for bulk actions: click, shift-click ranges, select all on the page, rows
// leaving the list, and a bulk answer summed up.
import { describe, expect, it } from 'vitest';
import { allSelected, bulkSummary, noSelection, pruneSelection, toggleAll, toggleRow, type Selection } from './bulk-selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (selection: Selection) => [...selection.ids].sort();

describe('bulk selection', () => {
  it('toggles a row on click', () => {
    const one = toggleRow(noSelection, 'b', order, false);
    expect(ids(one)).toEqual(['b']);
    expect(ids(toggleRow(one, 'b', order, false))).toEqual([]);
  });

  it('selects the range from the last clicked row on shift-click, in either direction', () => {
    const start = toggleRow(noSelection, 'b', order, false);
    expect(ids(toggleRow(start, 'd', order, true))).toEqual(['b', 'c', 'd']);
    const up = toggleRow(toggleRow(noSelection, 'e', order, false), 'c', order, true);
    expect(ids(up)).toEqual(['c', 'd', 'e']);
    // Without an anchor a shift-click is a plain click.
    expect(ids(toggleRow(noSelection, 'c', order, true))).toEqual(['c']);
  });

  it('selects all on the page, and clears when all were selected', () => {
    const all = toggleAll(toggleRow(noSelection, 'a', order, false), order);
    expect(ids(all)).toEqual(order);
    expect(allSelected(all, order)).toBe(true);
    expect(ids(toggleAll(all, order))).toEqual([]);
    expect(allSelected(noSelection, [])).toBe(false);
  });

  it('drops rows that left the list', () => {
    const selection = toggleAll(noSelection, order);
    expect(pruneSelection(selection, order)).toBe(selection);
    expect(ids(pruneSelection(selection, ['a', 'c']))).toEqual(['a', 'c']);
  });

  it('sums up a bulk answer', () => {
    expect(
      bulkSummary([
        { conversationId: 'a', ok: true, conversation: {} as never },
        { conversationId: 'b', ok: false, status: 409, error: { code: 'invalid_transition', message: 'Already resolved.' } },
      ]),
    ).toEqual({ changed: 1, failed: [{ conversationId: 'b', message: 'Already resolved.' }] });
  });
});

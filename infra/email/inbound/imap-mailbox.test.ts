import { describe, expect, it } from 'vitest';
import { planMailboxFetch } from './imap-mailbox.js';

const status = (uidNext: number, messages: number, uidValidity = '1700000000') => ({ uidValidity, uidNext, messages });

describe('planMailboxFetch', () => {
  it('backfills the whole mailbox on a first run, or starts from now when asked', () => {
    expect(planMailboxFetch(null, status(11, 10))).toEqual({ kind: 'fetch', fromUid: 1, reset: false });
    expect(planMailboxFetch(null, status(11, 10), 'new-only')).toEqual({ kind: 'baseline', checkpoint: { uidValidity: '1700000000', lastUid: 10 } });
  });

  it('fetches what came after the last delivered UID, including mail that arrived while stopped', () => {
    expect(planMailboxFetch({ uidValidity: '1700000000', lastUid: 7 }, status(13, 9))).toEqual({ kind: 'fetch', fromUid: 8, reset: false });
  });

  it('is up to date when no UID above the checkpoint can exist', () => {
    expect(planMailboxFetch({ uidValidity: '1700000000', lastUid: 12 }, status(13, 9))).toEqual({ kind: 'up-to-date' });
    // Expunged mail lowers the count, never the UIDs.
    expect(planMailboxFetch({ uidValidity: '1700000000', lastUid: 12 }, status(13, 0))).toEqual({ kind: 'up-to-date' });
  });

  it('starts again from UID 1 when UIDVALIDITY changed', () => {
    expect(planMailboxFetch({ uidValidity: '1700000000', lastUid: 50 }, status(4, 3, '1800000000'))).toEqual({ kind: 'fetch', fromUid: 1, reset: true });
  });

  it('records an empty mailbox without fetching', () => {
    expect(planMailboxFetch(null, status(1, 0))).toEqual({ kind: 'baseline', checkpoint: { uidValidity: '1700000000', lastUid: 0 } });
    expect(planMailboxFetch({ uidValidity: '1', lastUid: 9 }, status(5, 0, '2'))).toEqual({ kind: 'baseline', checkpoint: { uidValidity: '2', lastUid: 0 } });
  });
});

import { describe, expect, it } from 'vitest';
import { actionDetail, exportFileName, readImportFile, reorderedIds } from './rule-list';

describe('reordering', () => {
  it('moves a rule one place and sends every id', () => {
    expect(reorderedIds(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(reorderedIds(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
  });

  it('sends nothing for the first rule up or the last one down', () => {
    expect(reorderedIds(['a', 'b'], 0, -1)).toBeNull();
    expect(reorderedIds(['a', 'b'], 1, 1)).toBeNull();
  });
});

describe('the import file', () => {
  it('reads what export wrote and the import body alike', () => {
    const rule = { name: '退款', scope: 'conversation' };
    expect(readImportFile(JSON.stringify([rule]))).toEqual({ rules: [rule] });
    expect(readImportFile(`\uFEFF${JSON.stringify({ rules: [rule] })}`)).toEqual({ rules: [rule] });
  });

  it('names what is wrong with a file that is not a rule list', () => {
    expect(readImportFile('{ nope')).toEqual({ problem: 'notJson' });
    expect(readImportFile('{"name":"x"}')).toEqual({ problem: 'notRules' });
    expect(readImportFile('[]')).toEqual({ problem: 'empty' });
  });

  it('names the export after the day in the admin’s time zone', () => {
    const instant = new Date('2026-11-24T20:30:00Z');
    expect(exportFileName(instant, 'UTC')).toBe('seamless-rules-2026-11-24.json');
    expect(exportFileName(instant, 'Asia/Shanghai')).toBe('seamless-rules-2026-11-25.json');
  });
});

describe('one line about an action', () => {
  const names = { team: (id: string) => (id === 't1' ? 'Specialists' : null), user: () => null, slaPolicy: () => null };

  it('shows the value that tells the action apart, a team by its name', () => {
    expect(actionDetail({ type: 'set_priority', priority: 'urgent' }, names)).toBe('urgent');
    expect(actionDetail({ type: 'add_tag', tag: 'refund' }, names)).toBe('refund');
    expect(actionDetail({ type: 'assign_team', teamId: 't1' }, names)).toBe('Specialists');
    expect(actionDetail({ type: 'assign_agent', agentId: 'gone' }, names)).toBe('gone');
    expect(actionDetail({ type: 'send_email', to: 'address', address: 'lead@example.com', subject: 'Late', body: '…' }, names)).toBe('lead@example.com: Late');
    expect(actionDetail({ type: 'escalate' }, names)).toBe('');
  });
});

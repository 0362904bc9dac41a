import { describe, expect, it } from 'vitest';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import {
  addHoliday,
  addSkills,
  agentChangesOf,
  agentDraftOf,
  auditDiff,
  auditQueryOf,
  auditEventTypes,
  auditSubject,
  auditTypeLabel,
  channelFieldErrorsOf,
  emailChannelDraftOf,
  emailSettingsOf,
  businessHoursBodyOf,
  businessHoursDraftOf,
  emailAddressOf,
  fieldErrorsOf,
  imapBodyOf,
  imapDraftOf,
  imapTestBodyOf,
  inboundWebhookUrl,
  isOvernight,
  originsFromText,
  routingProfileCandidateOf,
  scopeKey,
  thresholdHint,
  thresholdOf,
  type AgentView,
  type BusinessHoursView,
} from './admin-types';

const agent: AgentView = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'alex@example.test',
  name: 'Alex Agent',
  role: 'agent',
  tier: 'junior',
  skills: ['cards', 'billing'],
  teamId: null,
  capacity: 3,
  presence: 'online',
  locale: 'en',
  timeZone: 'UTC',
  active: true,
};

describe('agent form', () => {
  it('sends nothing when nothing changed', () => {
    expect(agentChangesOf(agent, agentDraftOf(agent))).toEqual({ changes: {}, errors: {} });
  });

  it('sends only the changed fields, capacity as a number and skills as the whole list', () => {
    const draft = { ...agentDraftOf(agent), capacity: ' 5 ', skills: addSkills(agent.skills, 'refunds'), tier: 'expert' as const };
    expect(agentChangesOf(agent, draft)).toEqual({ changes: { capacity: 5, skills: ['cards', 'billing', 'refunds'], tier: 'expert' }, errors: {} });
  });

  it('refuses a capacity that is not a whole number but leaves its range to the server', () => {
    expect(agentChangesOf(agent, { ...agentDraftOf(agent), capacity: '2.5' }).errors).toEqual({ capacity: ['notWhole'] });
    expect(agentChangesOf(agent, { ...agentDraftOf(agent), capacity: 500 }).changes).toEqual({ capacity: 500 });
  });

  it('adds comma-separated skills once each, ignoring case and blanks', () => {
    expect(addSkills(['cards'], ' Cards, refunds ,, 退款 ')).toEqual(['cards', 'refunds', '退款']);
  });

  it('notices a removed skill', () => {
    expect(agentChangesOf(agent, { ...agentDraftOf(agent), skills: ['cards'] }).changes).toEqual({ skills: ['cards'] });
  });

  it('tries the whole unsaved profile on past traffic, only with whole seats of at least 1', () => {
    const draft = { ...agentDraftOf(agent), tier: 'expert' as const, skills: ['cards'], capacity: ' 4 ' };
    expect(routingProfileCandidateOf(agent.id, draft)).toEqual({ changes: { [agent.id]: { tier: 'expert', teamId: null, skills: ['cards'], capacity: 4 } } });
    expect(routingProfileCandidateOf(agent.id, { ...draft, capacity: '0' })).toBeNull();
    expect(routingProfileCandidateOf(agent.id, { ...draft, capacity: '1.5' })).toBeNull();
  });
});

describe("the server's 400 problems", () => {
  it('go next to the field their path starts with, the rest on the form', () => {
    expect(
      fieldErrorsOf(
        [
          { path: 'capacity', message: 'Too big' },
          { path: 'weekly.2.close', message: 'must be a local time' },
          { path: '', message: 'Change at least one field.' },
          { path: 'other', message: 'not here' },
          { message: 3 },
          null,
        ],
        ['capacity', 'weekly'],
      ),
    ).toEqual({ capacity: ['Too big'], weekly: ['2.close: must be a local time'], form: ['Change at least one field.', 'not here'] });
  });

  it('are nothing when the details are missing', () => {
    expect(fieldErrorsOf(undefined, ['name'])).toEqual({});
  });
});

describe('business hours form', () => {
  const hours: BusinessHoursView = {
    id: '00000000-0000-4000-8000-000000000002',
    name: 'Shanghai office',
    timeZone: 'Asia/Shanghai',
    weekly: [{ day: 1, open: '09:00', close: '18:00' }],
    holidays: ['2026-10-01'],
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it('starts a new calendar on weekdays 9-17 in the given zone', () => {
    const draft = businessHoursDraftOf(null, 'Europe/London');
    expect(draft.timeZone).toBe('Europe/London');
    expect(draft.weekly.map((interval) => interval.day)).toEqual([1, 2, 3, 4, 5]);
    expect(businessHoursBodyOf(null, { ...draft, name: ' 上海 ' })).toMatchObject({ name: '上海', timeZone: 'Europe/London', holidays: [] });
  });

  it('sends only what changed when editing', () => {
    const draft = businessHoursDraftOf(hours, 'UTC');
    expect(businessHoursBodyOf(hours, draft)).toEqual({});
    draft.weekly.push({ day: 5, open: '22:00', close: '06:00' });
    draft.holidays = addHoliday(draft.holidays, '2026-01-01');
    expect(businessHoursBodyOf(hours, draft)).toEqual({
      weekly: [
        { day: 1, open: '09:00', close: '18:00' },
        { day: 5, open: '22:00', close: '06:00' },
      ],
      holidays: ['2026-01-01', '2026-10-01'],
    });
  });

  it('calls a closing time at or before the opening time overnight, but not 24:00', () => {
    expect(isOvernight({ open: '22:00', close: '06:00' })).toBe(true);
    expect(isOvernight({ open: '09:00', close: '17:00' })).toBe(false);
    expect(isOvernight({ open: '00:00', close: '24:00' })).toBe(false);
  });

  it('adds a holiday once and keeps them sorted', () => {
    expect(addHoliday(['2026-05-01'], '2026-01-01')).toEqual(['2026-01-01', '2026-05-01']);
    expect(addHoliday(['2026-05-01'], '2026-05-01')).toEqual(['2026-05-01']);
    expect(addHoliday(['2026-05-01'], '')).toEqual(['2026-05-01']);
  });
});

describe('channels and self-service', () => {
  it("reads an email channel's address, and builds its webhook URL with the id escaped", () => {
    const email = { id: 'c1', kind: 'email', name: 'Mail', enabled: true, createdAt: '' } as const;
    expect(emailAddressOf({ ...email, settings: { address: 'help@shop.example' } } as never)).toBe('help@shop.example');
    expect(emailAddressOf({ ...email, settings: { address: 7 } } as never)).toBe('');
    expect(inboundWebhookUrl('https://desk.example', 'a/b')).toBe('https://desk.example/api/inbound/email/a%2Fb');
  });

  it('drafts IMAP settings from what is stored (never a password), and sends numbers as numbers, the password only when typed', () => {
    const fresh = imapDraftOf(null);
    expect(fresh).toEqual({
      host: '',
      port: '993',
      tls: 'tls',
      username: '',
      password: '',
      mailbox: 'INBOX',
      enabled: true,
      pollIntervalSeconds: '60',
      importDays: '3',
    });
    const draft = { ...fresh, host: ' imap.shop.example ', username: 'me', port: '143', tls: 'starttls' as const, pollIntervalSeconds: '300', importDays: '0' };
    expect(imapBodyOf(draft)).toEqual({
      host: 'imap.shop.example',
      port: 143,
      tls: 'starttls',
      username: 'me',
      mailbox: 'INBOX',
      enabled: true,
      pollIntervalSeconds: 300,
      importDays: 0,
    });
    expect(imapTestBodyOf({ ...draft, password: 'pw', port: 'x1' })).toEqual({
      host: 'imap.shop.example',
      port: 'x1',
      tls: 'starttls',
      username: 'me',
      password: 'pw',
      mailbox: 'INBOX',
    });
  });

  it("drafts an email channel's settings with the server's defaults, and sends them all when one changes", () => {
    const channel = { id: 'c1', kind: 'email', name: 'Mail', enabled: true, createdAt: '', imap: null, settings: { address: 'help@shop.example' } } as const;
    const draft = emailChannelDraftOf(channel as never);
    expect(draft).toEqual({ address: 'help@shop.example', fromName: '', signature: '', replyAll: true, createTickets: false });
    expect(emailSettingsOf(channel as never, draft)).toBeNull();
    expect(emailSettingsOf(channel as never, { ...draft, createTickets: true })).toEqual({ address: 'help@shop.example', replyAll: true, createTickets: true });
    expect(emailSettingsOf(channel as never, { ...draft, fromName: ' Help ' })).toEqual({
      address: 'help@shop.example',
      fromName: 'Help',
      replyAll: true,
      createTickets: false,
    });
  });

  it("puts a channel save's problems at the email setting they name, others under settings or the form", () => {
    expect(
      channelFieldErrorsOf([
        { path: 'settings.signature', message: 'Too long' },
        { path: 'settings.allowedOrigins.0', message: 'Not an origin' },
        { path: 'name', message: 'Required' },
        { message: 'Odd' },
      ]),
    ).toEqual({ signature: ['Too long'], settings: ['allowedOrigins.0: Not an origin'], name: ['Required'], form: ['Odd'] });
  });

  it('reads one origin a line', () => {
    expect(originsFromText(' https://a.example \n\n https://b.example\r\n')).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads the threshold: empty is the calibrated one, outside 0-1 is refused', () => {
    expect(thresholdOf('')).toBeNull();
    expect(thresholdOf('0.7')).toBe(0.7);
    expect(thresholdOf(1)).toBe(1);
    expect(thresholdOf('1.5')).toBeUndefined();
    expect(thresholdOf('abc')).toBeUndefined();
  });

  it('explains the threshold in plain words', () => {
    expect([null, 0.3, 0.6, 0.9, undefined].map(thresholdHint)).toEqual(['calibrated', 'low', 'balanced', 'strict', 'invalid']);
  });

  it('turns a scope into its message key', () => {
    expect(scopeKey('tickets:read')).toBe('tickets_read');
  });
});

describe('audit log', () => {
  it('names every audit event type (api/services/audit-service.ts) in words, in both languages', () => {
    const listed = Object.entries(auditEventTypes).flatMap(([family, actions]) => actions.map((action) => `${family}.${action}`));
    const en = translatorOf(createConsoleI18n('en'));
    const zh = translatorOf(createConsoleI18n('zh-CN'));
    expect(auditTypeLabel(en, 'rule.created')).toBe('Rule created');
    expect(auditTypeLabel(zh, 'rule.created')).toBe('规则已创建');
    expect(auditTypeLabel(en, 'auth.sign_in_failed')).toBe('Sign-in failed');
    for (const type of listed) {
      expect(auditTypeLabel(en, type), type).not.toBe(type);
      expect(auditTypeLabel(zh, type), type).not.toBe(type);
    }
    // A type this console does not know yet shows as it is rather than as a missing key.
    expect(auditTypeLabel(en, 'rule.archived')).toBe('rule.archived');
  });

  it('asks for a family and the page before the cursor', () => {
    expect(auditQueryOf({ family: 'api_key', before: '42' })).toBe('type=api_key.*&before=42&limit=50');
    expect(auditQueryOf({ family: '', before: null, limit: 10 })).toBe('limit=10');
  });

  it('lists the changed fields first, then the unchanged ones', () => {
    const rows = auditDiff({ before: { name: 'A', capacity: 3, skills: ['x'] }, after: { name: 'A', capacity: 5, skills: ['x', 'y'] } });
    expect(rows).toEqual([
      { field: 'capacity', before: '3', after: '5', changed: true },
      { field: 'skills', before: '["x"]', after: '["x","y"]', changed: true },
      { field: 'name', before: 'A', after: 'A', changed: false },
    ]);
  });

  it('shows a created record against nothing and a deleted one against nothing', () => {
    expect(auditDiff({ before: null, after: { name: 'Key' } })).toEqual([{ field: 'name', before: '', after: 'Key', changed: true }]);
    expect(auditDiff({ before: { name: 'Team' }, after: null })).toEqual([{ field: 'name', before: 'Team', after: '', changed: true }]);
    expect(auditDiff('nonsense')).toEqual([]);
    // A sign-in records no change: its fields as they are.
    expect(auditDiff({ email: 'a@b.c', ip: '203.0.113.5', userId: null })).toEqual([
      { field: 'email', before: '', after: 'a@b.c', changed: false },
      { field: 'ip', before: '', after: '203.0.113.5', changed: false },
      { field: 'userId', before: '', after: 'null', changed: false },
    ]);
  });

  it('names the record from after, else before', () => {
    expect(auditSubject({ before: { name: 'Old' }, after: { name: 'New' } })).toBe('New');
    expect(auditSubject({ before: { email: 'a@b.c' }, after: null })).toBe('a@b.c');
    expect(auditSubject(null)).toBe('');
    expect(auditSubject({ email: 'nobody@example.com', ip: '203.0.113.5', userId: null })).toBe('nobody@example.com');
    expect(auditSubject({ userId: 'u1', before: { capacity: 3 }, after: { capacity: 5 } }, new Map([['u1', 'Alex Agent']]))).toBe('Alex Agent');
  });
});

import { describe, expect, it } from 'vitest';
import { changesOf, draftOf, fieldErrorsOf, hasErrors, whatIfCandidateOf, type SlaPolicyView } from './sla-policy-types';

const policy: SlaPolicyView = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Normal priority',
  priority: 'normal',
  channelKind: null,
  teamId: null,
  businessHoursId: null,
  firstResponseMinutes: 120,
  nextResponseMinutes: 240,
  resolutionMinutes: 1440,
  warningPercent: 80,
  escalation: [{ action: 'notify' }],
  enabled: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('SLA policy form', () => {
  it('starts from the policy as text and sends nothing when nothing changed', () => {
    const draft = draftOf(policy);
    expect(draft).toEqual({ firstResponseMinutes: '120', nextResponseMinutes: '240', resolutionMinutes: '1440', warningPercent: '80', enabled: true });
    expect(changesOf(policy, draft)).toEqual({ changes: {}, errors: {} });
  });

  it('sends only the changed fields, as numbers', () => {
    const draft = { ...draftOf(policy), firstResponseMinutes: ' 240 ', enabled: false };
    expect(changesOf(policy, draft)).toEqual({ changes: { firstResponseMinutes: 240, enabled: false }, errors: {} });
  });

  it('takes the numbers v-model gives a number input as well as text', () => {
    const draft = { ...draftOf(policy), firstResponseMinutes: 240, warningPercent: 7.5 };
    expect(changesOf(policy, draft)).toEqual({ changes: { firstResponseMinutes: 240 }, errors: { warningPercent: ['notWhole'] } });
  });

  it('refuses blank and fractional numbers but leaves ranges to the server', () => {
    const draft = { ...draftOf(policy), nextResponseMinutes: '', warningPercent: '7.5', resolutionMinutes: '0' };
    const { changes, errors } = changesOf(policy, draft);
    expect(errors).toEqual({ nextResponseMinutes: ['notWhole'], warningPercent: ['notWhole'] });
    expect(hasErrors(errors)).toBe(true);
    expect(changes).toEqual({ resolutionMinutes: 0 });
  });

  it("puts each of the server's 400 problems next to its field, the rest on the form", () => {
    const errors = fieldErrorsOf([
      { path: 'firstResponseMinutes', message: 'must not be longer than resolutionMinutes' },
      { path: 'warningPercent', message: 'Too big: expected number to be <=99' },
      { path: 'firstResponseMinutes', message: 'second problem' },
      { path: '', message: 'Change at least one field.' },
      { path: 'name', message: 'not on this form' },
      { message: 42 },
      null,
    ]);
    expect(errors).toEqual({
      firstResponseMinutes: ['must not be longer than resolutionMinutes', 'second problem'],
      warningPercent: ['Too big: expected number to be <=99'],
      form: ['Change at least one field.', 'not on this form'],
    });
    expect(fieldErrorsOf(undefined)).toEqual({});
    expect(hasErrors({})).toBe(false);
  });
});

describe('the what-if candidate of the SLA policy form', () => {
  it('is the policy with the unsaved targets; none while a target is not a whole number', () => {
    const draft = { ...draftOf(policy), firstResponseMinutes: 30 };
    expect(whatIfCandidateOf(policy, draft)).toEqual({
      policyId: policy.id,
      priority: policy.priority,
      businessHoursId: policy.businessHoursId,
      firstResponseMinutes: 30,
      nextResponseMinutes: policy.nextResponseMinutes,
      resolutionMinutes: policy.resolutionMinutes,
      warningPercent: policy.warningPercent,
    });
    expect(whatIfCandidateOf(policy, { ...draft, resolutionMinutes: '1.5' })).toBeNull();
    expect(whatIfCandidateOf(policy, { ...draft, warningPercent: '' })).toBeNull();
  });
});

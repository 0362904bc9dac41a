// The JSON shape of GET /api/sla-policies (`slaPolicy`) and the edit form's pure logic: which
// fields the form edits, what the PATCH body is, and which field each 400 problem belongs to.
// Pure, so the form's rules are unit-tested without a browser.
import type { SlaPolicyView } from '../../../contract/views';
import { fieldErrorsOf as adminFieldErrorsOf } from './admin-types';

export type { SlaPolicyView };

/** The numeric fields the form edits, in the order it shows them. */
export const slaNumberFields = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes', 'warningPercent'] as const;
export type SlaNumberField = (typeof slaNumberFields)[number];
export type SlaFormField = SlaNumberField | 'enabled';

/** The PATCH /api/sla-policies/:id body the form may send (api/routes/sla-policy-routes.ts). */
export type SlaPolicyChange = Partial<Pick<SlaPolicyView, SlaFormField>>;

/**
 * The form's state. Vue's v-model gives a number input's value as a number when it parses and
 * as the typed string otherwise (`''` when empty), so both are accepted.
 */
export type SlaPolicyDraft = Record<SlaNumberField, string | number> & { enabled: boolean };

export function draftOf(policy: SlaPolicyView): SlaPolicyDraft {
  return {
    firstResponseMinutes: String(policy.firstResponseMinutes),
    nextResponseMinutes: String(policy.nextResponseMinutes),
    resolutionMinutes: String(policy.resolutionMinutes),
    warningPercent: String(policy.warningPercent),
    enabled: policy.enabled,
  };
}

export type FieldErrors = Partial<Record<SlaFormField | 'form', string[]>>;

/**
 * The changed fields as the PATCH body, or the fields that are not whole numbers. Ranges (1
 * minute to 365 days, 1-99 %) and how the targets nest are the server's to judge: its 400 names
 * the field (fieldErrorsOf), so the rules live in one place.
 */
export function changesOf(policy: SlaPolicyView, draft: SlaPolicyDraft): { changes: SlaPolicyChange; errors: FieldErrors } {
  const changes: SlaPolicyChange = {};
  const errors: FieldErrors = {};
  for (const field of slaNumberFields) {
    const text = String(draft[field]).trim();
    if (!/^-?\d+$/.test(text)) {
      errors[field] = ['notWhole'];
      continue;
    }
    const value = Number(text);
    if (value !== policy[field]) changes[field] = value;
  }
  if (draft.enabled !== policy.enabled) changes.enabled = draft.enabled;
  return { changes, errors };
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((messages) => messages !== undefined && messages.length > 0);
}

const formFields: readonly string[] = [...slaNumberFields, 'enabled'];

/**
 * A 400's `details` ([{ path, message }], api/validate.ts) by form field; problems with no path
 * or a path the form does not show (a refine over the whole body) go under `form`.
 */
export function fieldErrorsOf(details: unknown): FieldErrors {
  return adminFieldErrorsOf(details, formFields);
}

/**
 * The what-if candidate (POST /api/what-if, kind `sla_policy`) for the policy as the form holds
 * it, unsaved; null while a field is not a whole number.
 */
export function whatIfCandidateOf(policy: SlaPolicyView, draft: SlaPolicyDraft): Record<string, unknown> | null {
  const numbers = slaNumberFields.map((field) => Number(String(draft[field]).trim()));
  if (numbers.some((value, index) => !Number.isInteger(value) || String(draft[slaNumberFields[index]!]).trim() === '')) return null;
  const [firstResponseMinutes, nextResponseMinutes, resolutionMinutes, warningPercent] = numbers;
  return {
    policyId: policy.id,
    priority: policy.priority,
    businessHoursId: policy.businessHoursId,
    firstResponseMinutes,
    nextResponseMinutes,
    resolutionMinutes,
    warningPercent,
  };
}

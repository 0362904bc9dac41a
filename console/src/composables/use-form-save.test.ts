import { describe, expect, it } from 'vitest';
import { translatorOf } from '../i18n/create-i18n';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import { useFormSave } from './use-form-save';

const byPath = (details: unknown) => {
  const errors: Record<string, string[]> = {};
  for (const { path, message } of details as { path: string; message: string }[]) (errors[path === 'name' ? 'name' : 'form'] ??= []).push(message);
  return errors;
};

describe('useFormSave', () => {
  it('marks the form saved when the save goes through', async () => {
    const form = useFormSave();
    let pendingDuring = false;
    const ok = await form.save(async () => {
      pendingDuring = form.saving.value;
    });
    expect(ok).toBe(true);
    expect(pendingDuring).toBe(true);
    expect(form.saving.value).toBe(false);
    expect(form.saved.value).toBe(true);
    expect(form.errors.value).toEqual({});
  });

  it("puts the server's 400 problems at their fields and the rest on the form", async () => {
    const form = useFormSave(byPath);
    const details = [
      { path: 'name', message: 'Too long' },
      { path: '', message: 'Something else' },
    ];
    const ok = await form.save(() => Promise.reject(new ApiError(400, 'invalid', 'The request is invalid.', details)));
    expect(ok).toBe(false);
    expect(form.saved.value).toBe(false);
    expect(form.errors.value).toEqual({ name: ['Too long'], form: ['The request is invalid.', 'Something else'] });
  });

  it('says the server could not be reached when the request never got there', async () => {
    const form = useFormSave();
    await form.save(() => Promise.reject(new ApiError(0, 'network', 'unreachable')));
    expect(form.errors.value.form).toEqual([translatorOf(i18n)('error.network')]);
  });

  it('runs one save at a time', async () => {
    const form = useFormSave();
    let release!: () => void;
    const first = form.save(() => new Promise<void>((resolve) => (release = resolve)));
    expect(await form.save(async () => {})).toBe(false);
    release();
    expect(await first).toBe(true);
  });

  it('clears the errors and the saved note when reset', async () => {
    const form = useFormSave();
    await form.save(() => Promise.reject(new Error('boom')));
    form.reset();
    expect(form.errors.value).toEqual({});
    expect(form.saved.value).toBe(false);
  });
});

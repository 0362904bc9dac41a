import { describe, expect, it } from 'vitest';
import type { CustomerAttributeDefinitionView, CustomerProfileView } from '../../../contract/customer-views';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { attributeLabel, changesOf, contactName, formOf, tagsOf } from './contact-form';

const definitions: CustomerAttributeDefinitionView[] = [
  { key: 'plan', labelEn: 'Plan', labelZh: '套餐', type: 'select', options: ['gold', 'silver'] },
  { key: 'seats', labelEn: 'Seats', labelZh: '席位', type: 'number', options: [] },
  { key: 'trial', labelEn: 'Trial', labelZh: '试用', type: 'boolean', options: [] },
];

const profile: CustomerProfileView = {
  id: '3f2a9c1e-0000-4000-8000-000000000000',
  name: '张伟',
  email: null,
  phone: null,
  company: 'Acme',
  vip: false,
  tags: ['card'],
  lastSeenAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  conversationCount: 1,
  locale: null,
  timeZone: null,
  notes: null,
  externalId: null,
  attributes: { plan: 'gold', seats: 3 },
  ticketCount: 0,
  conversations: [],
  tickets: [],
};

describe('the contact form', () => {
  it('sends nothing when nothing changed', () => {
    expect(changesOf(profile, formOf(profile, definitions), definitions)).toBeNull();
  });

  it('sends only the changed fields, tags split on either comma, attributes typed by definition', () => {
    const form = { ...formOf(profile, definitions), email: ' wei@example.com ', company: '', tags: 'card，vip, card', vip: true };
    form.attributes = { ...form.attributes, seats: '12', plan: '', trial: true };
    expect(changesOf(profile, form, definitions)).toEqual({
      email: 'wei@example.com',
      company: '',
      vip: true,
      tags: ['card', 'vip'],
      attributes: { seats: 12, plan: null, trial: true },
    });
  });

  it('passes a number that does not parse on as typed, for the server to refuse', () => {
    const form = formOf(profile, definitions);
    form.attributes.seats = 'many';
    expect(changesOf(profile, form, definitions)).toEqual({ attributes: { seats: 'many' } });
  });

  it('splits tags and names contacts and labels in the console language', () => {
    expect(tagsOf(' a , b，,a ')).toEqual(['a', 'b']);
    const en = translatorOf(createConsoleI18n('en'));
    expect(contactName(profile, en)).toBe('张伟');
    expect(contactName({ ...profile, name: null, email: 'x@y.z' }, en)).toBe('x@y.z');
    expect(contactName({ ...profile, name: null }, en)).toBe('Visitor 3f2a9c');
    expect(attributeLabel(definitions[0]!, 'zh-TW')).toBe('套餐');
    expect(attributeLabel(definitions[0]!, 'en')).toBe('Plan');
  });
});

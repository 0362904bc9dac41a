// @vitest-environment happy-dom
// A search result's snippet: its matches in <mark>, what the customer wrote shown as text even
// when it looks like HTML, and the field it matched named in the agent's language.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/i18n';
import SearchSnippet from './SearchSnippet.vue';

describe('SearchSnippet', () => {
  afterEach(() => {
    i18n.global.locale.value = 'en';
  });

  it('marks the matched ranges and keeps markup in the text as text', () => {
    const text = '<img src=x onerror=alert(1)> my parcel 被盜了';
    const start = text.indexOf('被盜');
    const wrapper = mount(SearchSnippet, {
      props: { match: { field: 'message', messageId: null, text, highlights: [{ start, end: start + 2 }] } },
      global: { plugins: [i18n] },
    });
    expect(wrapper.findAll('mark').map((mark) => mark.text())).toEqual(['被盜']);
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.text()).toContain('<img src=x onerror=alert(1)>');
    expect(wrapper.text().startsWith('Message')).toBe(true);
  });

  it('names the field in Chinese', () => {
    i18n.global.locale.value = 'zh-CN';
    const wrapper = mount(SearchSnippet, {
      props: { match: { field: 'customer_email', messageId: null, text: 'wang@example.com', highlights: [{ start: 0, end: 4 }] } },
      global: { plugins: [i18n] },
    });
    expect(wrapper.text().startsWith('邮箱')).toBe(true);
    expect(wrapper.find('mark').text()).toBe('wang');
  });
});

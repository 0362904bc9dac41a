import { describe, expect, it } from 'vitest';
import {
  actionSchema,
  ruleDefinitionSchema,
  ruleScopes as schemaScopes,
  sentiments as schemaSentiments,
  timeAnchors as schemaAnchors,
  triggerSchema,
} from '../../../domain/rules/rule-schema';
import {
  actionOf,
  addToGroup,
  conditionFieldNames,
  conditionPath,
  definitionOf,
  draftOf,
  leafErrors,
  move,
  newAction,
  newGroup,
  newLeaf,
  newRuleDraft,
  nodeAt,
  operatorSpec,
  paramsOf,
  parseScalar,
  placeErrors,
  removeNode,
  replaceNode,
  ruleAnchors,
  scalarText,
  setGroupMode,
  splitList,
  toggleNot,
  triggerDraftOf,
  triggerOf,
  withActionType,
  withField,
  withOp,
  withStoredSecrets,
  type GroupDraft,
  type LeafDraft,
  type RuleDraft,
  withoutErrorsAt,
} from './rule-draft';
import { actionTypes, ruleScopes, sentiments, timeAnchors, triggerKinds } from './rule-types';

const leaf = (field: LeafDraft['field'], op: string, value = '', values: string[] = []): LeafDraft => ({ ...withOp(newLeaf(field), op), value, values });

/** The e2e rule: VIP customer and a message about a refund → urgent, tagged. */
function vipRefundDraft(): RuleDraft {
  const draft = newRuleDraft();
  draft.name = 'VIP 退款';
  let root = addToGroup(draft.conditions, [], leaf('customer.vip', 'eq', 'true'));
  root = addToGroup(root, [], leaf('message.text', 'contains', '退款'));
  const priority = newAction('set_priority');
  priority.params.priority = 'urgent';
  const tag = newAction('add_tag');
  tag.params.tag = 'refund';
  return { ...draft, conditions: root, actions: [priority, tag] };
}

describe('the menus', () => {
  it('starts a new "set priority" action at the scale\'s default, normal (not its first option, low)', () => {
    expect(newAction('set_priority').params).toEqual({ priority: 'normal' });
    // The other menus still start at their first option.
    expect(newAction('set_status').params).toEqual({ status: 'snooze' });
  });

  it('lists every scope, time anchor and sentiment the schema knows', () => {
    expect([...ruleScopes]).toEqual([...schemaScopes]);
    expect([...timeAnchors].sort()).toEqual([...schemaAnchors].sort());
    expect([...sentiments]).toEqual([...schemaSentiments]);
  });

  it('builds a trigger the schema accepts for every trigger kind from its defaults', () => {
    for (const on of triggerKinds) {
      const result = triggerSchema.safeParse(triggerOf({ ...triggerDraftOf({}), on }));
      expect(result.success, on).toBe(true);
    }
  });

  it('gives the time trigger its anchor, amount and unit, and a status trigger its status only when picked', () => {
    const base = triggerDraftOf({});
    expect(triggerOf({ ...base, on: 'time_elapsed', since: 'last_customer_message', amount: '2', unit: 'business_hours' })).toEqual({
      on: 'time_elapsed',
      since: 'last_customer_message',
      after: { amount: 2, unit: 'business_hours' },
    });
    expect(triggerOf({ ...base, on: 'status_changed', to: '' })).toEqual({ on: 'status_changed' });
    expect(triggerOf({ ...base, on: 'status_changed', to: 'resolved' })).toEqual({ on: 'status_changed', to: 'resolved' });
    expect(triggerOf({ ...base, on: 'message_received', from: 'agent', tag: 'ignored' })).toEqual({ on: 'message_received', from: 'agent' });
  });

  it('builds an action the schema accepts for every action type once its parameters are filled', () => {
    const filled: Record<string, string> = {
      agentId: '5b1f7a8e-3c1d-4c5e-9a1b-2c3d4e5f6a7b',
      teamId: '5b1f7a8e-3c1d-4c5e-9a1b-2c3d4e5f6a7b',
      policyId: '5b1f7a8e-3c1d-4c5e-9a1b-2c3d4e5f6a7b',
      tag: 'refund',
      text: '您好',
      subject: 'Follow-up',
      body: 'Hello',
      url: 'https://example.com/hook',
      secret: 'a-secret-of-sixteen-chars',
      steps: '2d 还有问题吗？\n3d Closing this for now.\nresolve',
    };
    for (const type of actionTypes) {
      const action = newAction(type);
      for (const name of Object.keys(action.params)) if (name in filled) action.params[name] = filled[name]!;
      expect(actionSchema.safeParse(actionOf(action)).success, type).toBe(true);
    }
  });

  it('keeps a webhook secret write-only: a stored one is kept by its id, a typed one replaces it, none is asked for', () => {
    const secretId = '5b1f7a8e-3c1d-4c5e-9a1b-2c3d4e5f6a7b';
    const stored = draftOf({
      name: 'Hook',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'conversation_created' },
      conditions: { all: [] },
      actions: [{ type: 'call_webhook', url: 'https://example.com/hook', secretId }],
    } as never);
    const [webhook] = stored.actions;
    expect(webhook!.params).toEqual({ url: 'https://example.com/hook', secret: '', secretId });
    expect(paramsOf(webhook!).map((spec) => [spec.name, spec.kind])).toEqual([
      ['url', 'text'],
      ['secret', 'secret'],
    ]);
    expect(actionOf(webhook!)).toEqual({ type: 'call_webhook', url: 'https://example.com/hook', secretId });
    const typed = { ...webhook!, params: { ...webhook!.params, secret: 'a-new-secret-of-16+' } };
    expect(actionOf(typed)).toEqual({ type: 'call_webhook', url: 'https://example.com/hook', secret: 'a-new-secret-of-16+' });
    expect(actionOf(newAction('call_webhook'))).toEqual({ type: 'call_webhook', url: '', secret: '' });
    // After a save the typed secret is forgotten and the new id kept.
    const saved = withStoredSecrets({ ...stored, actions: [typed] }, [
      { type: 'call_webhook', url: 'https://example.com/hook', secretId: 'f0e1d2c3-0000-4000-8000-000000000001' },
    ]);
    expect(saved.actions[0]!.params).toEqual({ url: 'https://example.com/hook', secret: '', secretId: 'f0e1d2c3-0000-4000-8000-000000000001' });
    expect(actionSchema.safeParse(actionOf(saved.actions[0]!)).success).toBe(true);
  });

  it('asks for an address only when an email goes to an address, and leaves a blank ticket subject out', () => {
    const email = newAction('send_email');
    expect(Object.keys(actionOf({ ...email, params: { ...email.params, address: 'x@example.com' } }))).toEqual(['type', 'to', 'subject', 'body']);
    expect(actionOf({ ...email, params: { ...email.params, to: 'address', address: 'lead@example.com' } })).toMatchObject({
      to: 'address',
      address: 'lead@example.com',
    });
    expect(actionOf(newAction('create_ticket'))).toEqual({ type: 'create_ticket' });
  });

  it('keeps parameters of the same name when the action type changes', () => {
    const reply = newAction('send_reply');
    reply.params.text = '稍等';
    expect(withActionType(reply, 'add_note').params).toEqual({ text: '稍等' });
    expect(withActionType(reply, 'add_note').id).toBe(reply.id);
    expect(withActionType(reply, 'set_priority').params).toEqual({ priority: 'normal' });
  });

  it('offers each field its own operators', () => {
    expect(conditionFieldNames).toContain('customer.attributes');
    expect(operatorSpec('tags', 'contains_any')).toEqual({ op: 'contains_any', value: 'text', list: true });
    expect(operatorSpec('priority', 'gte')).toEqual({ op: 'gte', value: 'enum', list: false });
    // An operator the field does not have falls back to its first.
    expect(operatorSpec('customer.vip', 'contains').op).toBe('eq');
  });
});

describe('editing a leaf', () => {
  it('starts a new field with its first operator and a fitting empty value', () => {
    const changed = withField(leaf('message.text', 'contains', '退款'), 'priority');
    expect(changed).toMatchObject({ field: 'priority', op: 'eq', value: 'low' });
    expect(withField(changed, 'customer.vip')).toMatchObject({ op: 'eq', value: 'true' });
  });

  it('keeps the value when the new operator takes the same kind of value, and drops it otherwise', () => {
    const contains = leaf('message.text', 'contains', '退款');
    expect(withOp(contains, 'not_contains').value).toBe('退款');
    const tag = leaf('tags', 'contains', 'vip');
    expect(withOp(tag, 'contains_any').value).toBe('');
  });
});

describe('editing the condition tree', () => {
  const tree = (): GroupDraft => {
    let root = newGroup('all');
    root = addToGroup(root, [], leaf('customer.vip', 'eq', 'true'));
    root = addToGroup(root, [], newGroup('any'));
    root = addToGroup(root, [1], leaf('message.text', 'contains', '退款'));
    root = addToGroup(root, [1], leaf('message.text', 'matches', '退(款|钱)'));
    return root;
  };

  it('adds leaves and groups where asked and names their JSON paths', () => {
    const root = tree();
    expect(conditionPath(root, [0])).toBe('conditions.all.0');
    expect(conditionPath(root, [1, 1])).toBe('conditions.all.1.any.1');
    expect(definitionOf({ ...newRuleDraft(), conditions: root }).conditions).toEqual({
      all: [
        { field: 'customer.vip', op: 'eq', value: true },
        {
          any: [
            { field: 'message.text', op: 'contains', value: '退款' },
            { field: 'message.text', op: 'matches', value: '退(款|钱)' },
          ],
        },
      ],
    });
  });

  it('wraps a node in not and unwraps it again, and the path goes through "not"', () => {
    const negated = toggleNot(tree(), [0]);
    expect(nodeAt(negated, [0])?.kind).toBe('not');
    expect(conditionPath(negated, [0, 0])).toBe('conditions.all.0.not');
    expect(definitionOf({ ...newRuleDraft(), conditions: negated }).conditions).toMatchObject({ all: [{ not: { field: 'customer.vip' } }, { any: [{}, {}] }] });
    expect(nodeAt(toggleNot(negated, [0]), [0])?.kind).toBe('leaf');
  });

  it('removes a node, a group with its children, and never the root', () => {
    const root = tree();
    expect(removeNode(root, [1, 0]).children[1]).toMatchObject({ children: [{ op: 'matches' }] });
    expect(removeNode(root, [1]).children).toHaveLength(1);
    expect(removeNode(root, [])).toBe(root);
    // Removing the only child of a not removes the not with it.
    expect(removeNode(toggleNot(root, [0]), [0, 0]).children).toHaveLength(1);
  });

  it('switches a group between all and any, and replaces a leaf in place', () => {
    const root = setGroupMode(tree(), [1], 'all');
    expect(nodeAt(root, [1])).toMatchObject({ mode: 'all' });
    const replaced = replaceNode(root, [0], leaf('channel', 'in', '', ['email', 'web_chat']));
    const conditions = definitionOf({ ...newRuleDraft(), conditions: replaced }).conditions as { all: unknown[] };
    expect(conditions.all[0]).toEqual({ field: 'channel', op: 'in', value: ['email', 'web_chat'] });
  });
});

describe('values as typed', () => {
  it('reads typed lists split by commas, Chinese commas and 、', () => {
    expect(splitList('vip, 退款，投诉、 spam\n')).toEqual(['vip', '退款', '投诉', 'spam']);
  });

  it('reads attribute values as numbers, booleans, null or text, and writes them back the same', () => {
    expect([parseScalar('42'), parseScalar('true'), parseScalar('null'), parseScalar('gold'), parseScalar('"42"')]).toEqual([42, true, null, 'gold', '42']);
    for (const value of [42, true, null, 'gold', '42']) expect(parseScalar(scalarText(value))).toEqual(value);
  });

  it('sends numbers as numbers, "no team" as null, and text that is not a number as typed for the server to refuse', () => {
    let root = newGroup('all');
    root = addToGroup(root, [], leaf('messages_count', 'gte', ' 5 '));
    root = addToGroup(root, [], leaf('reopen_count', 'gt', 'many'));
    root = addToGroup(root, [], leaf('team', 'eq', ''));
    root = addToGroup(root, [], leaf('assignee', 'in', '', ['', 'u1']));
    root = addToGroup(root, [], { ...leaf('minutes_since', 'gt', '60'), since: 'last_agent_message' });
    root = addToGroup(root, [], { ...leaf('customer.attributes', 'is_set'), key: 'plan' });
    root = addToGroup(root, [], leaf('tags', 'contains_none', 'spam, escalated'));
    expect(definitionOf({ ...newRuleDraft(), conditions: root }).conditions).toEqual({
      all: [
        { field: 'messages_count', op: 'gte', value: 5 },
        { field: 'reopen_count', op: 'gt', value: 'many' },
        { field: 'team', op: 'eq', value: null },
        { field: 'assignee', op: 'in', value: [null, 'u1'] },
        { field: 'minutes_since', since: 'last_agent_message', op: 'gt', value: 60 },
        { field: 'customer.attributes.plan', op: 'is_set' },
        { field: 'tags', op: 'contains_none', value: ['spam', 'escalated'] },
      ],
    });
  });
});

describe('the whole rule', () => {
  it('builds the VIP refund rule the server accepts', () => {
    const definition = definitionOf(vipRefundDraft());
    expect(definition).toEqual({
      name: 'VIP 退款',
      enabled: false,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'customer.vip', op: 'eq', value: true },
          { field: 'message.text', op: 'contains', value: '退款' },
        ],
      },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tag', tag: 'refund' },
      ],
    });
    expect(ruleDefinitionSchema.safeParse(definition).success).toBe(true);
  });

  it('reads a stored rule back into the same JSON', () => {
    const stored = {
      name: 'Everything',
      enabled: true,
      scope: 'both' as const,
      trigger: { on: 'time_elapsed', since: 'last_customer_message', after: { amount: 2, unit: 'business_hours' } },
      conditions: {
        all: [
          { not: { field: 'tags', op: 'contains_any', value: ['spam', 'vip'] } },
          {
            any: [
              { field: 'priority', op: 'in', value: ['high', 'urgent'] },
              { field: 'customer.attributes.plan', op: 'eq', value: 'gold' },
            ],
          },
          { field: 'customer.attributes.orders', op: 'gte', value: 3 },
          { field: 'team', op: 'eq', value: null },
          { field: 'minutes_since', since: 'assigned', op: 'gt', value: 30 },
        ],
      },
      actions: [
        { type: 'send_email', to: 'address', address: 'lead@example.com', subject: 'Late', body: 'Please look.' },
        { type: 'escalate' },
        { type: 'stop' },
      ],
    };
    const definition = definitionOf(draftOf(stored as never));
    expect(definition).toEqual(stored);
    expect(ruleDefinitionSchema.safeParse(definition).success).toBe(true);
  });

  it('wraps a root that is not a group in "all"', () => {
    const draft = draftOf({ ...definitionOf(vipRefundDraft()), enabled: false, conditions: { field: 'customer.vip', op: 'eq', value: true } } as never);
    expect(definitionOf(draft).conditions).toEqual({ all: [{ field: 'customer.vip', op: 'eq', value: true }] });
  });

  it('moves an item one place, and leaves the list alone at its ends', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('placing the server’s problems', () => {
  const serverProblems = (draft: RuleDraft) => {
    const result = ruleDefinitionSchema.safeParse(definitionOf(draft));
    if (result.success) throw new Error('expected problems');
    return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  };

  it('puts each of the schema’s problems next to the control it names', () => {
    const draft = vipRefundDraft();
    draft.name = '';
    draft.conditions = replaceNode(draft.conditions, [1], leaf('message.text', 'matches', '(a)\\1'));
    draft.conditions = addToGroup(draft.conditions, [], newGroup('any'));
    draft.actions = [newAction('set_priority'), newAction('assign_team'), newAction('call_webhook')];
    const placed = placeErrors(serverProblems(draft), ruleAnchors(draft));
    expect(Object.keys(placed).sort()).toEqual(
      ['name', 'conditions.all.1.value', 'conditions.all.2.any', 'actions.1.teamId', 'actions.2.url', 'actions.2.secret'].sort(),
    );
    expect(leafErrors(placed, 'conditions.all.1')).toEqual([expect.stringContaining('backreferences')]);
    expect(placed.form).toBeUndefined();
  });

  it('places a trigger the scope never sees at the trigger menu, a stop before other actions at that action, and a dry-run’s "rule." paths too', () => {
    const draft = { ...vipRefundDraft(), scope: 'ticket' as const };
    draft.actions = [newAction('stop'), ...draft.actions];
    const problems = serverProblems(draft).map((problem) => ({ ...problem, path: `rule.${problem.path}` }));
    expect(placeErrors(problems, ruleAnchors(draft), 'rule.')).toEqual({
      'trigger.on': [expect.stringContaining('happens to conversations only')],
      'actions.0': [expect.stringContaining('stop must be the last action')],
    });
  });

  it('keeps problems no control owns for the form, with their path', () => {
    const placed = placeErrors([{ path: 'days', message: 'Too big' }, { message: 'Change at least one field.' }, { path: 'name', message: 42 }], ['name']);
    expect(placed).toEqual({ form: ['days: Too big', 'Change at least one field.'] });
    expect(placeErrors('nonsense', ['name'])).toEqual({});
  });

  it('forgets the problems of a control once it is changed, and only those', () => {
    const errors = { name: ['Required'], 'conditions.all.1': ['a'], 'conditions.all.1.value': ['b'], 'conditions.all.10': ['c'], actions: ['d'] };
    expect(withoutErrorsAt(errors, 'conditions.all.1')).toEqual({ name: ['Required'], 'conditions.all.10': ['c'], actions: ['d'] });
    expect(Object.keys(withoutErrorsAt(errors, 'conditions'))).toEqual(['name', 'actions']);
  });
});

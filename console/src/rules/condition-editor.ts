// What the rule editor hands down to every node of the condition tree it shows (provide/inject):
// the tree, a way to change it (the pure edits of rule-draft.ts), the problems by path, and the
// directories the value menus offer.
import type { InjectionKey, Ref } from 'vue';
import type { UserView } from '../shared/wire-types';
import type { GroupDraft, PlacedErrors } from './rule-draft';
import type { TeamOption } from './rule-types';

export interface ConditionEditor {
  root: Readonly<Ref<GroupDraft>>;
  edit(change: (root: GroupDraft) => GroupDraft): void;
  /** Forgets the problems at a path and under it: the control they named was changed. */
  clear(path: string): void;
  errors: Readonly<Ref<PlacedErrors>>;
  teams: Readonly<Ref<TeamOption[]>>;
  users: Readonly<Ref<UserView[]>>;
}

export const conditionEditorKey: InjectionKey<ConditionEditor> = Symbol('conditionEditor');

/** A change of the tree's shape moves the paths after it: the problems found before no longer point right. */
export function reshape(editor: ConditionEditor, change: (root: GroupDraft) => GroupDraft): void {
  editor.clear('conditions');
  editor.edit(change);
}

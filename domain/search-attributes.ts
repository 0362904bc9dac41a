// Temporal search attributes every conversation and ticket workflow keeps up to date, so an
// operator can ask e.g. `temporal workflow list --query "SlaState='breached'"`. The local dev
// server registers them at start; a production cluster needs them created once (README).

export const searchAttributeNames = {
  status: 'SeamlessStatus',
  priority: 'SeamlessPriority',
  tier: 'SeamlessTier',
  assigneeId: 'SeamlessAssignee',
  teamId: 'SeamlessTeam',
  slaState: 'SlaState',
} as const;

/** All of them are exact-match strings (Keyword). */
export const searchAttributeType = 'Keyword';

// Conversations and tickets publish their search attributes and SLA due dates after every step;
// both cost a command or an activity, so they go out only when they changed.
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

/**
 * Returns `publish(attributes, sla)`: upserts the attributes and calls `save(sla)` when each
 * changed; `publish.saved(sla)`: another step saved `sla` (the next publish compares with it).
 */
export function publishChanges<Sla>(save: (sla: Sla) => Promise<void>) {
  let indexed = '';
  let saved = '';
  const publish = async (attributes: SearchAttributeUpdatePair[], sla: Sla) => {
    const attributesText = JSON.stringify(attributes);
    if (attributesText !== indexed) {
      upsertSearchAttributes(attributes);
      indexed = attributesText;
    }
    const slaText = JSON.stringify(sla);
    if (slaText !== saved) {
      await save(sla);
      saved = slaText;
    }
  };
  publish.saved = (sla: Sla) => void (saved = JSON.stringify(sla));
  return publish;
}

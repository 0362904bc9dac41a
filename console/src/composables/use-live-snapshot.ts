// A list screen's REST snapshot kept current by live events. Events that arrive while the
// snapshot is being fetched are replayed onto it: the snapshot may predate them, and the
// screens' reducers change nothing for an event the snapshot already includes.
import type { EventView } from '../../../domain/events';
import { useResource, type Resource, type ResourceOptions } from './use-resource';

export interface LiveSnapshot extends Resource<void> {
  /** Every live event goes through here too, so a fetch under way can replay it. */
  record: (event: EventView) => void;
}

/**
 * `fetch` asks for the snapshot; `apply` puts it on screen with the events seen meanwhile. A
 * newer load aborts an older one, whose answer is dropped. Loads only when asked (reload()).
 */
export function useLiveSnapshot<T>(
  fetch: (signal: AbortSignal) => Promise<T>,
  apply: (snapshot: T, meanwhile: readonly EventView[]) => void,
  options: Omit<ResourceOptions, 'immediate'> = {},
): LiveSnapshot {
  let buffered: EventView[] | null = null;
  const resource = useResource(
    async (signal) => {
      const meanwhile: EventView[] = [];
      buffered = meanwhile;
      try {
        const snapshot = await fetch(signal);
        if (!signal.aborted) apply(snapshot, meanwhile);
      } finally {
        if (buffered === meanwhile) buffered = null;
      }
    },
    undefined,
    { ...options, immediate: false },
  );
  return { ...resource, record: (event) => void buffered?.push(event) };
}

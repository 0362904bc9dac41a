// Infinite scroll: an empty element at the end of a scrolling list (the bottom of the inbox, the top
// of a conversation's thread) whose coming near view loads the next page. One load at a time; after
// each, the sentinel is looked at again, so pages keep coming while it stays in view (a page that
// did not fill the screen, a search page that found little) and stop once it is scrolled away or
// `load` says there is nothing more.
import { onUnmounted, watch, type Ref } from 'vue';

/**
 * `root`: the scrolling element the sentinel is in; `load` fetches one page and tells whether
 * another may follow; `margin`: how far before the end shows the next page is asked for.
 * `recheck()` looks at the sentinel again, for when there is newly more to load.
 */
export function useScrollSentinel(
  root: Ref<HTMLElement | null>,
  sentinel: Ref<HTMLElement | null>,
  load: () => Promise<boolean>,
  margin = '300px',
): { recheck: () => void } {
  // Browsers without IntersectionObserver (and unit tests' DOMs) simply keep the first page.
  if (typeof IntersectionObserver === 'undefined') return { recheck: () => undefined };
  let observer: IntersectionObserver | null = null;
  let busy = false;

  /** Observing again reports the sentinel's current state once: still in view → the next page. */
  function recheck() {
    const element = sentinel.value;
    if (!element || !observer) return;
    observer.unobserve(element);
    observer.observe(element);
  }

  async function next() {
    if (busy) return;
    busy = true;
    const more = await load().catch(() => false); // the screen shows its own error; scrolling away and back retries
    busy = false;
    if (more) recheck();
  }

  watch(
    [root, sentinel],
    ([scroller, element]) => {
      observer?.disconnect();
      observer = null;
      if (!scroller || !element) return;
      observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && void next(), { root: scroller, rootMargin: margin });
      observer.observe(element);
    },
    { immediate: true, flush: 'post' },
  );
  onUnmounted(() => observer?.disconnect());
  // For a screen whose first page came after the sentinel was first looked at.
  return { recheck };
}

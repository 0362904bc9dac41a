// One clock for everything on screen that shows a time elapsing ("waiting 12m"): a shared ref
// ticking every 30 s while at least one component uses it, so a long list needs one timer.
import { onUnmounted, ref, type Ref } from 'vue';

const tickMs = 30_000;
const now = ref(new Date());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, updated every 30 s while the calling component is mounted. */
export function useNow(): Readonly<Ref<Date>> {
  users += 1;
  if (!timer) {
    now.value = new Date();
    timer = setInterval(() => (now.value = new Date()), tickMs);
  }
  onUnmounted(() => {
    users -= 1;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}

/**
 * Coalesces work that arrives in bursts (verdicts streaming back from the worker) into one run per
 * animation frame: the page sees one DOM write pass per frame, whatever the number of messages.
 * A later value for the same key replaces the earlier one. Hidden tabs get no frames, so a timer
 * stands in after `fallbackMs`; whichever fires first runs the batch, once.
 */
export interface FrameBatch<K, V> {
  add(key: K, value: V): void;
  readonly size: number;
}

export type Schedule = (run: () => void) => void;

export function nextFrameOrTimeout(fallbackMs = 100): Schedule {
  return (run) => {
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      run();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
    setTimeout(once, fallbackMs);
  };
}

export function createFrameBatch<K, V>(apply: (items: ReadonlyMap<K, V>) => void, schedule: Schedule = nextFrameOrTimeout()): FrameBatch<K, V> {
  let pending = new Map<K, V>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const items = pending;
    pending = new Map();
    if (items.size > 0) apply(items);
  };
  return {
    add(key, value) {
      pending.set(key, value);
      if (scheduled) return;
      scheduled = true;
      schedule(flush);
    },
    get size() {
      return pending.size;
    },
  };
}

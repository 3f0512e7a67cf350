/**
 * Work that can wait (building badges' shadow content) done in the browser's idle periods, item by
 * item, in slices of at most `sliceMs` (an idle period can last 50 ms, and input arriving meanwhile
 * would wait for all of it), so a page load is not one long block. When the page is never idle, or
 * there is no requestIdleCallback, a timer stands in after `timeoutMs`; each run still does at
 * least one item.
 */
export interface IdleQueue<T> {
  add(item: T): void;
  readonly size: number;
}

export type IdleDeadlineLike = { timeRemaining(): number };
export type IdleScheduler = (run: (deadline?: IdleDeadlineLike) => void, timeoutMs: number) => void;

const browserIdle: IdleScheduler = (run, timeoutMs) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback((deadline) => run(deadline.didTimeout ? undefined : deadline), { timeout: timeoutMs });
  else setTimeout(() => run(), timeoutMs);
};

export interface IdleQueueOptions {
  readonly timeoutMs?: number;
  readonly schedule?: IdleScheduler;
  /** Wraps each idle run (the content script counts it as its main-thread time). */
  readonly measure?: (work: () => void) => void;
  readonly sliceMs?: number;
  readonly now?: () => number;
}

export function createIdleQueue<T>(process: (item: T) => void, options: IdleQueueOptions = {}): IdleQueue<T> {
  const schedule = options.schedule ?? browserIdle;
  const measure = options.measure ?? ((work: () => void) => work());
  const timeoutMs = options.timeoutMs ?? 300;
  const sliceMs = options.sliceMs ?? 4;
  const now = options.now ?? (() => performance.now());
  const pending: T[] = [];
  let scheduled = false;
  const run = (deadline?: IdleDeadlineLike) => {
    scheduled = false;
    measure(() => {
      const start = now();
      // At least one item per run, so a page that is never idle still sees progress; a millisecond is left to the browser.
      do process(pending.shift()!);
      while (pending.length > 0 && now() - start < sliceMs && (!deadline || deadline.timeRemaining() > 1));
    });
    if (pending.length > 0) later();
  };
  const later = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(run, timeoutMs);
  };
  return {
    add(item) {
      pending.push(item);
      later();
    },
    get size() {
      return pending.length;
    },
  };
}

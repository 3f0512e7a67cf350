/**
 * Work that can wait (building badges' shadow content) done in the browser's idle periods, item by
 * item while the idle deadline lasts, so a page load is not one long block. When the page is never
 * idle, or there is no requestIdleCallback, a timer stands in after `timeoutMs` and runs what is left.
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
}

export function createIdleQueue<T>(process: (item: T) => void, options: IdleQueueOptions = {}): IdleQueue<T> {
  const schedule = options.schedule ?? browserIdle;
  const measure = options.measure ?? ((work: () => void) => work());
  const timeoutMs = options.timeoutMs ?? 300;
  const pending: T[] = [];
  let scheduled = false;
  const run = (deadline?: IdleDeadlineLike) => {
    scheduled = false;
    measure(() => {
      // At least one item per run, so a page that is never idle still sees progress; a millisecond is left to the browser.
      do process(pending.shift()!);
      while (pending.length > 0 && (!deadline || deadline.timeRemaining() > 1));
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

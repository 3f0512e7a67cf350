/**
 * Pages that change after load (single-page apps, "show more"): added subtrees are collected by a
 * MutationObserver and scanned in one batch when the browser is idle, never synchronously inside
 * the page's own mutation. Work per batch is bounded; roots inside another pending root are merged;
 * our own badges are ignored.
 */
export interface MutationWatchOptions {
  readonly maxRootsPerBatch?: number;
  readonly isOwn: (node: Element) => boolean;
  /** Wraps the observer's own synchronous work (the caller counts it as the script's main-thread time). */
  readonly measure?: (work: () => void) => void;
}

export function watchMutations(target: Node, onRoots: (roots: Element[]) => void, options: MutationWatchOptions): () => void {
  const max = options.maxRootsPerBatch ?? 200;
  const measure = options.measure ?? ((work: () => void) => work());
  let pending = new Set<Element>();
  let scheduled = false;
  const idle: (cb: () => void) => void = typeof requestIdleCallback === 'function' ? (cb) => requestIdleCallback(cb, { timeout: 500 }) : (cb) => setTimeout(cb, 50);

  const flush = () => {
    scheduled = false;
    let batch: Element[] = [];
    measure(() => {
      const roots = [...pending].filter((el) => el.isConnected);
      pending = new Set();
      const outermost = roots.filter((el) => !roots.some((other) => other !== el && other.contains(el)));
      batch = outermost.slice(0, max);
      // What does not fit waits for the next idle period instead of being dropped.
      for (const rest of outermost.slice(max)) pending.add(rest);
      if (pending.size > 0) schedule();
    });
    if (batch.length > 0) onRoots(batch);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    idle(flush);
  };

  const collect = (records: MutationRecord[]) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1 || options.isOwn(node as Element)) continue;
        pending.add(node as Element);
      }
    }
    if (pending.size > 0) schedule();
  };
  const observer = new MutationObserver((records) => measure(() => collect(records)));
  observer.observe(target, { childList: true, subtree: true });
  return () => observer.disconnect();
}

/**
 * Main-thread CPU time of one script in a page, from Chromium's own trace (CDP Tracing,
 * devtools.timeline): the thread time (`tdur`) of every EvaluateScript and FunctionCall event that
 * names the script's URL — its evaluation (compile included), frame callbacks, timers and
 * observers. Thread time is what the script costs the page whatever else the machine is doing;
 * the wall-clock figure the script publishes itself also counts time the thread waited for a core.
 * Extension message listeners are called by the browser's bindings with no script URL in the
 * trace, so they are not in this figure (they are in the script's own wall-clock one).
 */
import type { BrowserContext, Page } from 'playwright-core';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly data?: { readonly url?: string } };
}

export async function traceScriptCpu(context: BrowserContext, page: Page, scriptUrlPart: string, during: () => Promise<void>): Promise<number> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected' as never, (message: { value: TraceEvent[] }) => events.push(...message.value));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete' as never, () => resolve()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline'] }, transferMode: 'ReportEvents' });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  const ours = events
    .filter((e) => e.ph === 'X' && (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && e.args?.data?.url?.includes(scriptUrlPart))
    .sort((a, b) => a.ts - b.ts);
  // A call nested in an evaluation or another call (a timer set and fired within one task) counts once.
  let cpuUs = 0;
  let coveredUntil = -1;
  for (const event of ours) {
    if (event.ts < coveredUntil) continue;
    cpuUs += event.tdur ?? event.dur ?? 0;
    coveredUntil = event.ts + (event.dur ?? 0);
  }
  return cpuUs / 1000;
}

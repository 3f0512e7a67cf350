/**
 * The results sync on a schedule (issue 4 "Automatic award"): every SYNC_INTERVAL_SECONDS main.ts
 * calls tick(), which queues one sync per bound, published definition (deduplicated in the jobs
 * table) and runs the due ones; a launch in a course runs that course's syncs at once. Failures
 * stay on the job with their message and are retried with the job table's backoff. With an LMS
 * watcher, the same tick queues and runs the LMS completion watches (lms-watch.ts, issue 7).
 */
import { enqueueDueWatches, runDueWatches, type LmsWatchRun } from '../lms/lms-watch.ts';
import type { LmsWatchDeps } from '../lms/lms-watch-course.ts';
import { enqueueDueSyncs, runNextResultsSync, type CohortReader, type SyncDeps, type SyncRun } from './results-sync.ts';

export const DEFAULT_SYNC_INTERVAL_SECONDS = 60;
/** Jobs one tick runs at most, so a tick always ends; the rest wait for the next tick. */
export const MAX_JOBS_PER_TICK = 100;

export interface TickArgs {
  /** This instance's name in the jobs table's lease. */
  readonly owner: string;
  readonly now: () => Date;
  readonly readCohort: CohortReader;
  readonly maxJobs?: number;
  /** false: run what is due without queueing the periodic syncs (used right after a launch). */
  readonly enqueue?: boolean;
  /** The LMS completion watcher's deps; without them the tick runs the AGS syncs only. */
  readonly lmsWatch?: LmsWatchDeps | undefined;
}

export interface TickSummary {
  readonly queued: number;
  readonly runs: readonly SyncRun[];
  readonly lmsRuns: readonly LmsWatchRun[];
}

/** One pass of the scheduler. Never throws for a platform error: that is recorded on its job. */
export async function tick(deps: SyncDeps, args: TickArgs): Promise<TickSummary> {
  const watch = args.lmsWatch;
  const queued = args.enqueue === false ? 0 : (await enqueueDueSyncs(deps, args.now())) + (watch ? await enqueueDueWatches(watch, args.now()) : 0);
  const runs: SyncRun[] = [];
  // The AGS syncs and the LMS watches run side by side: a slow LMS does not hold up the AGS awards.
  const [, lmsRuns] = await Promise.all([
    (async () => {
      for (let i = 0; i < (args.maxJobs ?? MAX_JOBS_PER_TICK); i += 1) {
        const run = await runNextResultsSync(deps, { owner: args.owner, now: args.now, readCohort: args.readCohort });
        if (run.state === 'idle') break;
        runs.push(run);
      }
    })(),
    watch ? runDueWatches(watch, { owner: args.owner, now: args.now }) : [],
  ]);
  return { queued, runs, lmsRuns };
}

/** SYNC_INTERVAL_SECONDS from the environment: a whole number of seconds from 1 to 86400, default 60. */
export function syncIntervalMs(env: Record<string, string | undefined>): number {
  const text = env.SYNC_INTERVAL_SECONDS?.trim();
  if (!text) return DEFAULT_SYNC_INTERVAL_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) throw new Error(`SYNC_INTERVAL_SECONDS must be a whole number of seconds from 1 to 86400 (it is "${text}").`);
  return seconds * 1000;
}

/** Calls tick() every intervalMs, one at a time (a slow tick is never overlapped by the next). */
export function startSyncTimer(run: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const loop = async () => {
    try {
      await run();
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(loop, intervalMs);
  };
  timer = setTimeout(loop, intervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

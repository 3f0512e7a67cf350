/**
 * The LMS completion watcher as jobs (issue 7): one 'lms-watch' job per watched LMS course (jobs
 * table, deduplicated per platform + course), queued on every scheduler tick and run by a small
 * pool of workers on whichever instance claims them. A failed watch fails its job with a message
 * the instructor sees and the job table retries it after a backoff; a refused token, a function
 * the web service does not allow or a missing permission also marks the platform's connection
 * as failing for the admin, and the next watch that works clears it.
 */
import { newId } from '../issuance/ids.ts';
import type { JobRecord } from '../store/job-repository.ts';
import { definitionsOfCourse, LmsWatchError, lmsRuleOf, watchCourse, type CourseWatchSummary, type LmsWatchDeps } from './lms-watch-course.ts';
import { LmsError } from './lms-source.ts';

export const LMS_WATCH_JOB = 'lms-watch';
export const lmsWatchJobKey = (platformId: string, courseId: string): string => `lms-watch:${platformId}:${courseId}`;

/** Watches one tick runs at most, and how many at once (each source has its own request concurrency too). */
export const MAX_WATCHES_PER_TICK = 200;
export const WATCH_CONCURRENCY = 4;
const ADMIN_ERRORS: ReadonlySet<string> = new Set(['LMS_TOKEN_INVALID', 'LMS_FUNCTION_NOT_ALLOWED', 'LMS_NO_PERMISSION']);

export type LmsWatchRun =
  | { readonly state: 'idle' }
  | { readonly state: 'done'; readonly job: JobRecord; readonly summary: CourseWatchSummary }
  | { readonly state: 'retry' | 'failed'; readonly job: JobRecord; readonly error: string; readonly code: string };

/** Queues a watch for every LMS course that has a published LMS-watched definition; resolves to how many were new. */
export async function enqueueDueWatches(deps: Pick<LmsWatchDeps, 'store'>, now: Date): Promise<number> {
  const courses = new Map<string, { platformId: string; courseId: string }>();
  for (const definition of await deps.store.definitions.listLmsWatched()) {
    const platformId = definition.binding.platformId;
    const rule = lmsRuleOf(definition);
    if (platformId && rule) courses.set(lmsWatchJobKey(platformId, rule.courseId), { platformId, courseId: rule.courseId });
  }
  let queued = 0;
  for (const [dedupeKey, payload] of courses) {
    if (await deps.store.jobs.enqueue({ id: newId(), kind: LMS_WATCH_JOB, dedupeKey, payload, runAt: now.getTime(), now: now.getTime() })) queued += 1;
  }
  return queued;
}

/** Claims one due watch job and runs it. Never throws for an LMS or platform error: that is recorded on the job. */
export async function runNextLmsWatch(deps: LmsWatchDeps, args: { owner: string; now: () => Date; leaseMs?: number }): Promise<LmsWatchRun> {
  const job = await deps.store.jobs.claimNext({ kinds: [LMS_WATCH_JOB], owner: args.owner, now: args.now().getTime(), leaseMs: args.leaseMs ?? 5 * 60_000 });
  if (!job) return { state: 'idle' };
  const { platformId, courseId } = (job.payload ?? {}) as { platformId?: unknown; courseId?: unknown };
  if (typeof platformId !== 'string' || typeof courseId !== 'string') {
    await deps.store.jobs.complete(job.id, args.now().getTime());
    return { state: 'done', job, summary: { learners: 0, perDefinition: new Map() } };
  }
  const definitions = await definitionsOfCourse(deps, platformId, courseId);
  try {
    const summary = await watchCourse(deps, { platformId, courseId, definitions, now: args.now });
    if (definitions.length > 0) await deps.store.lmsConnections.clearWatchError(platformId, 'The last watch of the LMS worked.', args.now().getTime());
    await deps.store.jobs.complete(job.id, args.now().getTime());
    return { state: 'done', job, summary };
  } catch (error) {
    if (!(error instanceof LmsError || error instanceof LmsWatchError)) console.error(error);
    const code = error instanceof LmsError || error instanceof LmsWatchError ? error.code : 'LMS_WATCH_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    const at = args.now().getTime();
    if (error instanceof LmsError && ADMIN_ERRORS.has(error.code)) {
      await deps.store.lmsConnections.setStatus(platformId, { status: 'error', message, missing: error.details.missing ?? [] }, at);
    }
    for (const definition of definitions) await deps.store.lmsWatchOutcomes.recordError(definition.id, message, at);
    const state = await deps.store.jobs.fail(job.id, message, at);
    return { state: state === 'failed' ? 'failed' : 'retry', job, error: message, code };
  }
}

/** Runs due watch jobs with `concurrency` workers until none is due or `maxJobs` have run. */
export async function runDueWatches(deps: LmsWatchDeps, args: { owner: string; now: () => Date; concurrency?: number; maxJobs?: number }): Promise<LmsWatchRun[]> {
  const runs: LmsWatchRun[] = [];
  const max = args.maxJobs ?? MAX_WATCHES_PER_TICK;
  let claimed = 0;
  const worker = async () => {
    while (claimed < max) {
      claimed += 1;
      const run = await runNextLmsWatch(deps, args);
      if (run.state === 'idle') return;
      runs.push(run);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency ?? WATCH_CONCURRENCY) }, worker));
  return runs;
}

/**
 * The automatic award loop, without the LTI plumbing: a job per definition in the jobs table
 * (deduplicated, so a burst of launches queues one sync), run by whichever tool instance claims it;
 * it reads the cohort's LTI AGS 2.0 results and NRPS 2.0 names through a reader the LTI layer
 * supplies, and awards through decideAwards (exactly once). A platform error (token refused, 5xx,
 * timeout) fails the job with its message, shown to the instructor, and the job runs again after
 * a backoff; nothing is awarded twice and nothing is lost. A "completion" definition awards on launch.
 */
import type { Store } from '../store/open-store.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';
import type { JobRecord } from '../store/job-repository.ts';
import { awardCredential, type AwardOutcome, type IssuanceDeps } from './award-engine.ts';
import type { CourseSession } from './course-session.ts';
import { learnerKeyOf } from './course-session.ts';
import { decideAwards, type AgsResult, type DecideAwardsSummary } from './decide-awards.ts';
import { newId } from './ids.ts';
import { syncJobKey } from './instructor-view.ts';

export const RESULTS_SYNC_JOB = 'ags-results-sync';
/** Default sync interval (the "within one sync interval", configurable by the caller). */
export const DEFAULT_SYNC_INTERVAL_MS = 60_000;

export interface CohortMember {
  readonly userId: string;
  readonly name: string;
  readonly email?: string | undefined;
}

/**
 * What a sync job carries besides its definition: the course's NRPS memberships URL, learned from a
 * launch and handed from each sync job to the next, so scheduled syncs need no live session.
 */
export interface SyncHints {
  readonly membershipsUrl?: string | undefined;
  /** The course's AGS line items container, so a deep-linked definition finds its line item without a launch. */
  readonly lineItemsUrl?: string | undefined;
}

/** Reads a definition's line item results (AGS) and the course roster (NRPS); throws on platform errors. */
export type CohortReader = (definition: DefinitionRecord, hints?: SyncHints) => Promise<{ results: readonly AgsResult[]; members: readonly CohortMember[] }>;

const MAX_HINT_LENGTH = 2_000;
export function hintsOf(payload: unknown): SyncHints {
  const hints: { membershipsUrl?: string; lineItemsUrl?: string } = {};
  for (const name of ['membershipsUrl', 'lineItemsUrl'] as const) {
    const url = (payload as Record<string, unknown> | null)?.[name];
    if (typeof url === 'string' && url.length <= MAX_HINT_LENGTH) hints[name] = url;
  }
  return hints;
}

/** lmsUserLinks: a launch records the Canvas user id ↔ sub link it carries (course-launch.ts, lms-identity.ts). */
export type SyncDeps = IssuanceDeps & { readonly store: IssuanceDeps['store'] & Pick<Store, 'jobs' | 'lmsUserLinks'> };

export async function enqueueResultsSync(deps: SyncDeps, definitionId: string, now: Date, hints: SyncHints = {}): Promise<boolean> {
  // Without a fresh hint, the previous job of this definition passes its own on.
  const previous = hintsOf((await deps.store.jobs.latestFor(syncJobKey(definitionId)))?.payload);
  const carried = { ...previous, ...Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined)) } as SyncHints;
  const payload = { definitionId, ...carried };
  return deps.store.jobs.enqueue({ id: newId(), kind: RESULTS_SYNC_JOB, dedupeKey: syncJobKey(definitionId), payload, runAt: now.getTime(), now: now.getTime() });
}

/** The scheduled pass: one sync queued for every published definition on a line item (already queued ones are kept). */
export async function enqueueDueSyncs(deps: SyncDeps, now: Date): Promise<number> {
  let queued = 0;
  for (const definition of await deps.store.definitions.listSyncable()) if (await enqueueResultsSync(deps, definition.id, now)) queued += 1;
  return queued;
}

/** After any launch in a course: sync that course's credentials now rather than at the next interval. */
export async function syncOnLaunch(deps: SyncDeps, session: CourseSession, now: Date, hints: SyncHints = {}): Promise<number> {
  let queued = 0;
  for (const definition of await deps.store.definitions.listInContext(session)) {
    if (definition.published && definition.binding.lineItemId && definition.passRule?.kind !== 'lms' && (await enqueueResultsSync(deps, definition.id, now, hints))) queued += 1;
  }
  return queued;
}

export type SyncRun = { readonly state: 'idle' } | { readonly state: 'done'; readonly job: JobRecord; readonly summary: DecideAwardsSummary } | { readonly state: 'retry' | 'failed'; readonly job: JobRecord; readonly error: string };

/** Claims one due sync job and runs it; call in a loop (or on a timer) on every instance. */
export async function runNextResultsSync(deps: SyncDeps, args: { owner: string; now: () => Date; leaseMs?: number; readCohort: CohortReader }): Promise<SyncRun> {
  const job = await deps.store.jobs.claimNext({ kinds: [RESULTS_SYNC_JOB], owner: args.owner, now: args.now().getTime(), leaseMs: args.leaseMs ?? 5 * 60_000 });
  if (!job) return { state: 'idle' };
  const definitionId = (job.payload as { definitionId?: unknown }).definitionId;
  try {
    const definition = typeof definitionId === 'string' ? await deps.store.definitions.get(definitionId) : undefined;
    if (!definition) {
      await deps.store.jobs.complete(job.id, args.now().getTime());
      return { state: 'done', job, summary: { total: 0, awarded: 0, alreadyAwarded: 0, notPassed: 0, skipped: [] } };
    }
    const { results, members } = await args.readCohort(definition, hintsOf(job.payload));
    const byId = new Map(members.map((m) => [m.userId, m]));
    const summary = await decideAwards(deps, {
      definitionId: definition.id,
      results,
      identify: (userId) => byId.get(userId),
      onProgress: (done, total) => deps.store.jobs.progress(job.id, done, total, args.now().getTime()),
    });
    await deps.store.jobs.complete(job.id, args.now().getTime());
    return { state: 'done', job, summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const state = await deps.store.jobs.fail(job.id, message, args.now().getTime());
    return { state: state === 'failed' ? 'failed' : 'retry', job, error: message };
  }
}

/** LTI launch of an activity with a "completion" rule: the LMS let the learner in, so the module is complete. */
export async function awardOnCompletionLaunch(deps: IssuanceDeps, session: CourseSession & { readonly resourceLinkId: string }, learner: { name: string; email?: string | undefined }): Promise<AwardOutcome[]> {
  const outcomes: AwardOutcome[] = [];
  for (const definition of await deps.store.definitions.listForResourceLink(session)) {
    if (definition.published && definition.passRule?.kind === 'completion') {
      outcomes.push(await awardCredential(deps, { definitionId: definition.id, learner: { key: learnerKeyOf(session), name: learner.name, email: learner.email } }));
    }
  }
  return outcomes;
}

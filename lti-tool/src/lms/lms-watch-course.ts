/**
 * One watch of one LMS course (issue 7): the enrolled learners and their progress are read once
 * for all the definitions placed on that course, each definition's criterion is checked, and the
 * learners who meet it are awarded through awardMany (exactly once) under their LTI learner key.
 * A Canvas learner whose LTI identity is not known yet waits for the next watch: awarding under
 * another key would award them twice once the link is learned.
 */
import { awardMany, type AwardOutcome, type AwardRequest, type IssuanceDeps } from '../issuance/award-engine.ts';
import { DECIDE_BATCH_SIZE } from '../issuance/decide-awards.ts';
import { ltiLearnerKey } from '../issuance/ids.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';
import type { LmsWatchCounts } from '../store/lms-watch-outcome-repository.ts';
import type { Store } from '../store/open-store.ts';
import type { LmsConnections } from './lms-connections.ts';
import { criterionMet, gradeText, needsOf, type LmsPassRule } from './lms-rules.ts';
import type { LearnerProgress, LmsLearner, LmsSource } from './lms-source.ts';

/** LTI subs for Canvas users not linked yet (NRPS with rlid, wired by the runtime); the answers are stored as links. */
export type ResolveIdentities = (platformId: string, courseId: string, lmsUserIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

export interface LmsWatchDeps extends IssuanceDeps {
  readonly store: IssuanceDeps['store'] & Pick<Store, 'jobs' | 'lmsConnections' | 'lmsUserLinks' | 'lmsWatchOutcomes'>;
  readonly lms: Pick<LmsConnections, 'source'>;
  readonly resolveIdentities?: ResolveIdentities | undefined;
}

export type LmsWatchErrorCode = 'LMS_NOT_CONNECTED' | 'LMS_KIND_MISMATCH';

/** A watch that cannot start: the admin has to connect (or reconnect) the LMS. */
export class LmsWatchError extends Error {
  override readonly name = 'LmsWatchError';
  constructor(
    readonly code: LmsWatchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CourseWatchSummary {
  readonly learners: number;
  readonly perDefinition: ReadonlyMap<string, LmsWatchCounts>;
}

export const lmsRuleOf = (record: DefinitionRecord): LmsPassRule | undefined => (record.passRule?.kind === 'lms' ? record.passRule : undefined);

/** The definitions one watch job covers: published, LMS-watched, on this platform and LMS course. */
export async function definitionsOfCourse(deps: Pick<LmsWatchDeps, 'store'>, platformId: string, courseId: string): Promise<DefinitionRecord[]> {
  return (await deps.store.definitions.listLmsWatched()).filter((d) => d.binding.platformId === platformId && lmsRuleOf(d)?.courseId === courseId);
}

export async function watchCourse(deps: LmsWatchDeps, args: { platformId: string; courseId: string; definitions: readonly DefinitionRecord[]; now: () => Date }): Promise<CourseWatchSummary> {
  const { platformId, courseId } = args;
  if (args.definitions.length === 0) return { learners: 0, perDefinition: new Map() };
  const source = await deps.lms.source(platformId);
  if (!source) {
    throw new LmsWatchError('LMS_NOT_CONNECTED', 'This platform is not connected to its LMS’s REST API, so completion cannot be read. An administrator must connect it on the admin page (LMS connection).');
  }
  const definitions = args.definitions.filter((d) => lmsRuleOf(d)?.source === source.kind);
  if (definitions.length < args.definitions.length) {
    throw new LmsWatchError('LMS_KIND_MISMATCH', `This platform is connected to ${source.kind === 'moodle' ? 'Moodle' : 'Canvas'}, but a micro-credential of the course watches another LMS. Edit the micro-credential or fix the LMS connection.`);
  }

  const learners = await source.learners(courseId);
  const progress = await source.progress(courseId, learners, needsOf(definitions.map((d) => (lmsRuleOf(d) as LmsPassRule).criterion)));
  const metBy = new Map(definitions.map((d) => [d.id, learners.filter((l) => criterionMet((lmsRuleOf(d) as LmsPassRule).criterion, progress.get(l.lmsUserId)))]));
  const identities = await identify(deps, source, platformId, courseId, [...new Set([...metBy.values()].flat())]);

  const perDefinition = new Map<string, LmsWatchCounts>();
  for (const definition of definitions) {
    const met = metBy.get(definition.id) ?? [];
    const counts = await awardMet(deps, definition, met, identities, progress, platformId);
    perDefinition.set(definition.id, { learners: learners.length, met: met.length, ...counts });
    await deps.store.lmsWatchOutcomes.recordCounts(definition.id, perDefinition.get(definition.id) as LmsWatchCounts, args.now().getTime());
  }
  return { learners: learners.length, perDefinition };
}

/** lmsUserId → LTI sub: Moodle says it; Canvas from stored links, then from resolveIdentities (stored as links). */
async function identify(deps: LmsWatchDeps, source: LmsSource, platformId: string, courseId: string, learners: readonly LmsLearner[]): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  for (const learner of learners) {
    const sub = learner.ltiUserId ?? (source.kind === 'moodle' ? learner.lmsUserId : undefined);
    if (sub) known.set(learner.lmsUserId, sub);
  }
  const unknown = learners.filter((l) => !known.has(l.lmsUserId)).map((l) => l.lmsUserId);
  if (unknown.length === 0) return known;
  for (const [lmsUserId, sub] of await deps.store.lmsUserLinks.lookup(platformId, unknown)) known.set(lmsUserId, sub);
  const still = unknown.filter((id) => !known.has(id));
  if (still.length > 0 && deps.resolveIdentities) {
    const asked = new Set(still);
    const resolved = [...(await deps.resolveIdentities(platformId, courseId, still))].filter(([id, sub]) => asked.has(id) && typeof sub === 'string' && sub !== '');
    await deps.store.lmsUserLinks.record(platformId, resolved.map(([lmsUserId, ltiUserId]) => ({ lmsUserId, ltiUserId })), (deps.now ?? (() => new Date()))().getTime());
    for (const [lmsUserId, sub] of resolved) known.set(lmsUserId, sub);
  }
  return known;
}

async function awardMet(
  deps: LmsWatchDeps,
  definition: DefinitionRecord,
  met: readonly LmsLearner[],
  identities: ReadonlyMap<string, string>,
  progress: ReadonlyMap<string, LearnerProgress>,
  platformId: string,
): Promise<Omit<LmsWatchCounts, 'learners' | 'met'>> {
  const criterion = (lmsRuleOf(definition) as LmsPassRule).criterion;
  const requests: AwardRequest[] = [];
  let waitingIdentity = 0;
  for (const learner of met) {
    const sub = identities.get(learner.lmsUserId);
    if (!sub) {
      waitingIdentity += 1;
      continue;
    }
    const grade = gradeText(criterion, progress.get(learner.lmsUserId));
    requests.push({
      learner: { key: ltiLearnerKey(platformId, sub), name: learner.name, email: learner.email },
      result: { criterionMet: true, ...(grade ? { grade } : {}) },
    });
  }
  let awarded = 0;
  let alreadyAwarded = 0;
  // Batches commit one by one: a watch that fails halfway keeps what it awarded, and the next one skips those.
  for (let start = 0; start < requests.length; start += DECIDE_BATCH_SIZE) {
    const batch = requests.slice(start, start + DECIDE_BATCH_SIZE);
    const outcomes = await awardMany(deps, definition.id, batch);
    for (const request of batch) {
      const outcome = outcomes.get(request.learner.key) as AwardOutcome | undefined;
      if (outcome?.ok) outcome.created ? (awarded += 1) : (alreadyAwarded += 1);
    }
  }
  return { awarded, alreadyAwarded, waitingIdentity };
}

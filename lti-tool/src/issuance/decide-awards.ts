/**
 * From LTI AGS 2.0 results (§3.3 Result: userId, resultScore, resultMaximum) to awards: every
 * learner whose result meets the definition's pass rule is awarded, in batches, exactly once.
 * The AGS sync job feeds it; a replay or a concurrent run changes nothing (see award-engine.ts).
 */
import { awardMany, type AwardLearner, type AwardOutcome, type IssuanceDeps } from './award-engine.ts';
import { ltiLearnerKey } from './ids.ts';
import { passes } from './rules.ts';

export interface AgsResult {
  readonly userId: string;
  readonly resultScore?: number | null;
  readonly resultMaximum?: number | null;
}

/** Name and email for an LTI user id, from the launch or NRPS (LTI NRPS 2.0 §2.2 member). */
export type IdentifyLearner = (userId: string) => { readonly name: string; readonly email?: string | undefined } | undefined;

export interface DecideAwardsSummary {
  readonly total: number;
  readonly awarded: number;
  readonly alreadyAwarded: number;
  readonly notPassed: number;
  /** Passing learners not awarded this time (no name known yet, invalid data); the next sync tries again. */
  readonly skipped: readonly { readonly userId: string; readonly code: string; readonly message: string }[];
}

export const DECIDE_BATCH_SIZE = 250;

export async function decideAwards(
  deps: IssuanceDeps,
  args: {
    definitionId: string;
    results: readonly AgsResult[];
    identify: IdentifyLearner;
    onProgress?: (done: number, total: number) => void | Promise<void>;
  },
): Promise<DecideAwardsSummary> {
  const record = await deps.store.definitions.get(args.definitionId);
  const platformId = record?.binding.platformId;
  if (!record || !platformId) {
    throw new DecideAwardsError('DEFINITION_NOT_BOUND', 'This micro-credential is not placed in a course of a known platform, so its results cannot be matched to learners.');
  }
  const skipped: { userId: string; code: string; message: string }[] = [];
  let notPassed = 0;
  const candidates: { learner: AwardLearner; result: AgsResult; userId: string }[] = [];
  const seen = new Set<string>();
  for (const result of args.results) {
    if (typeof result?.userId !== 'string' || result.userId === '' || seen.has(result.userId)) continue;
    seen.add(result.userId);
    // Failing results are counted here without touching the database.
    if (record.passRule && !passes(record.passRule, result)) {
      notPassed += 1;
      continue;
    }
    const who = args.identify(result.userId);
    if (!who) {
      skipped.push({ userId: result.userId, code: 'LEARNER_UNKNOWN', message: 'The platform has not told us this learner’s name yet.' });
      continue;
    }
    candidates.push({ userId: result.userId, result, learner: { key: ltiLearnerKey(platformId, result.userId), name: who.name, email: who.email } });
  }

  let awarded = 0;
  let alreadyAwarded = 0;
  for (let start = 0; start < candidates.length; start += DECIDE_BATCH_SIZE) {
    const batch = candidates.slice(start, start + DECIDE_BATCH_SIZE);
    const outcomes = await awardMany(deps, record.id, batch.map(({ learner, result }) => ({ learner, result })));
    for (const { learner, userId } of batch) {
      const outcome = outcomes.get(learner.key) as AwardOutcome | undefined;
      if (outcome?.ok) outcome.created ? (awarded += 1) : (alreadyAwarded += 1);
      else if (outcome?.code === 'NOT_PASSED') notPassed += 1;
      else skipped.push({ userId, code: outcome?.code ?? 'UNKNOWN', message: outcome?.message ?? 'No outcome.' });
    }
    await args.onProgress?.(Math.min(start + DECIDE_BATCH_SIZE, candidates.length), candidates.length);
  }
  return { total: seen.size, awarded, alreadyAwarded, notPassed, skipped };
}

export class DecideAwardsError extends Error {
  override readonly name = 'DecideAwardsError';
  constructor(
    readonly code: 'DEFINITION_NOT_BOUND',
    message: string,
  ) {
    super(message);
  }
}

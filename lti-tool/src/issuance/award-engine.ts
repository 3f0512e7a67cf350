/**
 * The award engine: one credential per learner per definition, exactly once. The award row, its
 * Bitstring Status List index (Bitstring Status List v1.0 §3.1) and the signed OB 3.0 credential
 * are written in one transaction; the unique (definition_id, learner_key) makes a concurrent or
 * replayed award a no-op that answers with the winner's credential. After an award, stacks that
 * include the definition are checked and completed automatically.
 */
import type { MicroCredentialDefinition } from '../../../shared/credential/types.ts';
import { buildStatusEntry } from '../../../shared/status/status-list-credential.ts';
import type { Issuer } from './issuer.ts';
import type { Store } from '../store/open-store.ts';
import { awardTx, type IssuedCredentialRecord, type NewAward } from '../store/award-repository.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';
import { allocateStatusIndexes, type AllocationRandomness } from '../store/status-list-repository.ts';
import { batchCredentialFactory } from './batch-credentials.ts';
import { issuableDefinition } from './definitions.ts';
import { credentialUrl, cryptoRandomness, newCredentialId, newId, statusListUrl } from './ids.ts';
import { passes, stackParts, stackRuleMet, type ScoreResult } from './rules.ts';

export interface IssuanceDeps {
  readonly store: Pick<Store, 'definitions' | 'awards' | 'statusLists'>;
  readonly issuer: Issuer;
  /** PUBLIC_URL: credential ids and status list URLs derive from it. */
  readonly publicUrl: string;
  readonly now?: () => Date;
  readonly random?: AllocationRandomness;
}

export interface AwardLearner {
  /** Stable identity of the learner in this tool, e.g. ltiLearnerKey(platform, sub). */
  readonly key: string;
  readonly name: string;
  /** Only its salted hash goes into the credential; it is never stored. */
  readonly email?: string | undefined;
}

export interface AwardResultInput extends ScoreResult {
  /** Grade as written on the credential; defaults to the score. */
  readonly grade?: string;
}

export interface AwardRequest {
  readonly learner: AwardLearner;
  readonly result?: AwardResultInput | undefined;
}

export type AwardErrorCode = 'DEFINITION_NOT_FOUND' | 'DEFINITION_NOT_PUBLISHED' | 'DEFINITION_INCOMPLETE' | 'LEARNER_INVALID' | 'NOT_PASSED';

export type AwardOutcome =
  | { readonly ok: true; readonly created: boolean; readonly credential: IssuedCredentialRecord; readonly url: string }
  | { readonly ok: false; readonly code: AwardErrorCode; readonly message: string };

const MAX_KEY_LENGTH = 512;
const MAX_NAME_LENGTH = 300;
/** Stacks of stacks are followed this deep; deeper pathways are a definition mistake, not a reason to loop. */
const MAX_STACK_DEPTH = 5;

export async function awardCredential(deps: IssuanceDeps, args: { definitionId: string } & AwardRequest): Promise<AwardOutcome> {
  const outcomes = await awardMany(deps, args.definitionId, [{ learner: args.learner, result: args.result }]);
  return outcomes.get(args.learner.key) ?? failure('LEARNER_INVALID', 'The learner has no key.');
}

/**
 * Awards `definitionId` to every eligible learner in one transaction; the outcome per learner key.
 * Learners who do not meet the definition's rule get NOT_PASSED and nothing is written for them.
 */
export async function awardMany(deps: IssuanceDeps, definitionId: string, requests: readonly AwardRequest[], depth = 0): Promise<Map<string, AwardOutcome>> {
  const outcomes = new Map<string, AwardOutcome>();
  const record = await deps.store.definitions.get(definitionId);
  const issuable = record ? issuableDefinition(record) : failure('DEFINITION_NOT_FOUND', 'There is no micro-credential definition with this id.');
  if (!record || !issuable.ok) {
    for (const { learner } of requests) outcomes.set(learner.key, issuable as AwardOutcome);
    return outcomes;
  }

  const eligible = new Map<string, AwardRequest>();
  for (const request of requests) {
    const problem = learnerProblem(request.learner);
    if (problem) outcomes.set(String(request.learner?.key), failure('LEARNER_INVALID', problem));
    else if (!eligible.has(request.learner.key)) eligible.set(request.learner.key, request);
  }
  await removeIneligible(deps, record, eligible, outcomes);

  // Replays find their credential here without taking the write lock.
  const existing = await deps.store.awards.currentForLearners(definitionId, [...eligible.keys()]);
  for (const [key, credential] of existing) {
    outcomes.set(key, { ok: true, created: false, credential, url: credentialUrl(deps.publicUrl, credential.id) });
    eligible.delete(key);
  }
  if (eligible.size === 0) return outcomes;

  const created = await writeAwards(deps, record, issuable.definition, [...eligible.values()].sort((a, b) => (a.learner.key < b.learner.key ? -1 : 1)));
  const stored = await deps.store.awards.currentForLearners(definitionId, [...eligible.keys()]);
  for (const [key, credential] of stored) {
    outcomes.set(key, { ok: true, created: created.has(key), credential, url: credentialUrl(deps.publicUrl, credential.id) });
  }
  if (depth < MAX_STACK_DEPTH && created.size > 0) await completeStacks(deps, definitionId, [...created].map((key) => (eligible.get(key) as AwardRequest).learner), depth);
  return outcomes;
}

/** Pass rule for assessed modules; for stacks, the parts the learner holds. */
async function removeIneligible(deps: IssuanceDeps, record: DefinitionRecord, eligible: Map<string, AwardRequest>, outcomes: Map<string, AwardOutcome>): Promise<void> {
  for (const [key, request] of eligible) {
    let ok: boolean;
    if (record.passRule) ok = passes(record.passRule, request.result);
    else if (record.stackRule) ok = stackRuleMet(record.stackRule, await deps.store.awards.heldDefinitions(key, stackParts(record.stackRule)));
    else ok = false;
    if (!ok) {
      outcomes.set(key, failure('NOT_PASSED', record.passRule ? 'The result does not meet the pass rule of this micro-credential.' : 'The learner does not hold the micro-credentials this stack is made of.'));
      eligible.delete(key);
    }
  }
}

/** The one transaction: award rows, status indexes, signed credentials. Resolves to the learner keys it created. */
async function writeAwards(deps: IssuanceDeps, record: DefinitionRecord, definition: MicroCredentialDefinition, sorted: readonly AwardRequest[]): Promise<Set<string>> {
  const now = (deps.now ?? (() => new Date()))();
  const sign = await deps.issuer.signer();
  const build = await batchCredentialFactory({ definition, issuerId: deps.issuer.id, issuedAt: now });
  const planned = sorted.map((request) => ({ request, awardId: newId(), credentialId: newCredentialId() }));
  return deps.store.awards.db.transaction(async (tx) => {
    const rows: NewAward[] = planned.map(({ request, awardId, credentialId }) => ({
      awardId,
      definitionId: record.id,
      learnerKey: request.learner.key,
      learnerName: request.learner.name.trim(),
      credentialId,
      result: request.result ?? null,
      awardedAt: now.getTime(),
    }));
    const won = await awardTx.insertAwards(tx, rows);
    const winners = planned.filter(({ request }) => won.has(request.learner.key));
    const indexes = await allocateStatusIndexes(tx, { purpose: 'revocation', count: winners.length, now: now.getTime(), random: deps.random ?? cryptoRandomness });
    const jwts = await Promise.all(
      winners.map(async ({ request, credentialId }, i) => {
        const slot = indexes[i] as (typeof indexes)[number];
        const credential = await build({
          credentialId: credentialUrl(deps.publicUrl, credentialId),
          name: request.learner.name.trim(),
          email: request.learner.email,
          grade: gradeOf(request.result).grade,
          credentialStatus: buildStatusEntry({ listCredentialUrl: statusListUrl(deps.publicUrl, 'revocation', slot.listId), index: slot.index, statusPurpose: 'revocation' }),
        });
        return sign(credential);
      }),
    );
    await awardTx.insertCredentials(
      tx,
      winners.map(({ awardId, credentialId }, i) => ({ id: credentialId, awardId, statusListId: indexes[i]!.listId, statusIndex: indexes[i]!.index, jwt: jwts[i]!, issuedAt: now.getTime() })),
    );
    return won;
  });
}

async function completeStacks(deps: IssuanceDeps, partId: string, learners: readonly AwardLearner[], depth: number): Promise<void> {
  for (const stack of await deps.store.definitions.stacksContaining(partId)) {
    // awardMany checks each learner against the stack rule and skips the ones who already hold it.
    await awardMany(deps, stack.id, learners.map((learner) => ({ learner })), depth + 1);
  }
}

function gradeOf(result: AwardResultInput | undefined): { grade?: string } {
  if (result?.grade) return { grade: result.grade };
  const score = result?.resultScore;
  if (typeof score !== 'number' || !Number.isFinite(score)) return {};
  const max = result?.resultMaximum;
  return { grade: typeof max === 'number' && Number.isFinite(max) ? `${score} / ${max}` : String(score) };
}

function learnerProblem(learner: AwardLearner | undefined): string | undefined {
  if (!learner || typeof learner.key !== 'string' || learner.key === '' || learner.key.length > MAX_KEY_LENGTH) return 'The learner has no usable key.';
  if (typeof learner.name !== 'string' || learner.name.trim() === '') return 'The learner has no name to put on the credential.';
  if (learner.name.length > MAX_NAME_LENGTH) return `The learner's name is longer than ${MAX_NAME_LENGTH} characters.`;
  if (learner.email !== undefined && typeof learner.email !== 'string') return "The learner's email address is not text.";
  return undefined;
}

function failure(code: AwardErrorCode, message: string): { ok: false; code: AwardErrorCode; message: string } {
  return { ok: false, code, message };
}

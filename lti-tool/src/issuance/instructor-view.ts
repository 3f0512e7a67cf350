/**
 * An instructor's view of one micro-credential in their course: every learner with score and state
 * (not yet, issued, revoked), the bulk issuance progress and last sync error from the jobs table,
 * revoke with a reason, re-issue, and the CSV export; for a rule watched in the LMS (issue 7), the
 * rule in words and what the last watch found. Access: a course manager role in the
 * definition's own platform, deployment and course.
 */
import type { IssuanceDeps } from './award-engine.ts';
import type { JobRepository } from '../store/job-repository.ts';
import type { DefinitionRecord } from '../store/definition-repository.ts';
import { canManageCredentials, CourseAccessError, inSessionContext, type CourseSession } from './course-session.ts';
import { credentialUrl, ltiLearnerKey } from './ids.ts';
import { reissueCredential, revokeCredential, type RevocationOutcome } from './revocation.ts';
import { passes, type ScoreResult } from './rules.ts';
import { describeLmsRule } from '../lms/lms-rules.ts';
import type { LmsWatchOutcome, LmsWatchOutcomeRepository } from '../store/lms-watch-outcome-repository.ts';

export type ProgressState = 'not-yet' | 'issued' | 'revoked';

export interface ProgressRow {
  readonly learnerKey: string;
  readonly name: string;
  readonly score?: number | undefined;
  readonly maximum?: number | undefined;
  readonly passing: boolean;
  readonly state: ProgressState;
  readonly credentialId?: string;
  readonly credentialUrl?: string;
  readonly issuedAt?: Date;
  readonly revocationReason?: string | null;
}

export interface ProgressView {
  readonly definition: DefinitionRecord;
  readonly rows: readonly ProgressRow[];
  /** The bulk issuance running now (or last), for the progress bar and the last platform error. */
  readonly job?: { readonly state: string; readonly done: number; readonly total: number | null; readonly lastError: string | null } | undefined;
  /** A rule watched in the LMS: the rule in words and the last watch's outcome (none before the first watch). */
  readonly lmsWatch?: { readonly rule: string; readonly outcome: LmsWatchOutcome | undefined } | undefined;
}

/** Course members from NRPS, with their AGS results where the platform has one. */
export interface RosterEntry extends ScoreResult {
  readonly userId: string;
  readonly name: string;
}

export const syncJobKey = (definitionId: string): string => `ags-sync:${definitionId}`;

export async function instructorProgress(deps: IssuanceDeps & { jobs?: JobRepository; lmsWatchOutcomes?: Pick<LmsWatchOutcomeRepository, 'get'> }, session: CourseSession, definitionId: string, roster: readonly RosterEntry[] = []): Promise<ProgressView> {
  const definition = await managedDefinition(deps, session, definitionId);
  const issued = await deps.store.awards.currentForDefinition(definition.id);
  const byKey = new Map(issued.map((c) => [c.learnerKey, c]));
  const rows: ProgressRow[] = [];
  const seen = new Set<string>();
  for (const member of roster) {
    const key = ltiLearnerKey(session.platformId, member.userId);
    seen.add(key);
    const credential = byKey.get(key);
    rows.push({
      learnerKey: key,
      name: credential?.learnerName ?? member.name,
      score: typeof member.resultScore === 'number' ? member.resultScore : undefined,
      maximum: typeof member.resultMaximum === 'number' ? member.resultMaximum : undefined,
      passing: definition.passRule ? passes(definition.passRule, member) : false,
      ...stateOf(deps, credential),
    });
  }
  // Learners who earned it but are no longer on the roster stay visible.
  for (const credential of issued) {
    if (!seen.has(credential.learnerKey)) rows.push({ learnerKey: credential.learnerKey, name: credential.learnerName, passing: true, ...stateOf(deps, credential) });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name) || a.learnerKey.localeCompare(b.learnerKey));
  const job = deps.jobs ? await deps.jobs.latestFor(syncJobKey(definition.id)) : undefined;
  const lmsWatch = definition.passRule?.kind === 'lms' ? { rule: describeLmsRule(definition.passRule), outcome: await deps.lmsWatchOutcomes?.get(definition.id) } : undefined;
  return { definition, rows, job: job && { state: job.state, done: job.progressDone, total: job.progressTotal, lastError: job.lastError }, lmsWatch };
}

export async function instructorRevoke(deps: IssuanceDeps, session: CourseSession, credentialId: string, reason: string): Promise<RevocationOutcome> {
  const denied = await checkCredentialAccess(deps, session, credentialId);
  return denied ?? revokeCredential(deps, { credentialId, reason });
}

export async function instructorReissue(deps: IssuanceDeps, session: CourseSession, credentialId: string, reason?: string): Promise<RevocationOutcome> {
  const denied = await checkCredentialAccess(deps, session, credentialId);
  return denied ?? reissueCredential(deps, { credentialId, ...(reason ? { reason } : {}) });
}

/** RFC 4180 CSV of the progress table. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function progressCsv(view: ProgressView): string {
  const header = ['Learner', 'Score', 'Maximum', 'State', 'Issued', 'Credential URL', 'Revocation reason'];
  const lines = view.rows.map((r) => [r.name, r.score ?? '', r.maximum ?? '', r.state, r.issuedAt?.toISOString() ?? '', r.credentialUrl ?? '', r.revocationReason ?? '']);
  return `${[header, ...lines].map((cells) => cells.map((c) => csvCell(String(c))).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function stateOf(deps: IssuanceDeps, credential: Awaited<ReturnType<IssuanceDeps['store']['awards']['credential']>>): Pick<ProgressRow, 'state' | 'credentialId' | 'credentialUrl' | 'issuedAt' | 'revocationReason'> {
  if (!credential) return { state: 'not-yet' };
  return {
    state: credential.revokedAt ? 'revoked' : 'issued',
    credentialId: credential.id,
    credentialUrl: credentialUrl(deps.publicUrl, credential.id),
    issuedAt: credential.issuedAt,
    revocationReason: credential.revocationReason,
  };
}

async function managedDefinition(deps: IssuanceDeps, session: CourseSession, definitionId: string): Promise<DefinitionRecord> {
  if (!canManageCredentials(session)) throw new CourseAccessError('NOT_INSTRUCTOR', 'Only the course’s instructors can see and manage its micro-credentials.');
  const record = await deps.store.definitions.get(definitionId);
  if (!inSessionContext(record, session)) throw new CourseAccessError('NOT_IN_COURSE', 'This micro-credential does not belong to this course.');
  return record;
}

async function checkCredentialAccess(deps: IssuanceDeps, session: CourseSession, credentialId: string): Promise<RevocationOutcome | undefined> {
  const credential = await deps.store.awards.credential(credentialId);
  if (!credential) return { ok: false, code: 'CREDENTIAL_NOT_FOUND', message: 'There is no credential with this id.' };
  await managedDefinition(deps, session, credential.definitionId);
  return undefined;
}

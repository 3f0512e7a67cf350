/**
 * "My credentials" for a learner launched into a course: what they earned (with the links to share
 * it) and what they are working towards here, with the pass rule and their current score where
 * the platform reports one (LTI AGS 2.0 results, supplied by the caller).
 */
import { readEuElements } from '../../../shared/credential/read-eu-elements.ts';
import type { IssuanceDeps } from './award-engine.ts';
import { learnerKeyOf, type CourseSession } from './course-session.ts';
import { credentialUrl } from './ids.ts';
import { linkedInAddToProfileUrl } from './linkedin.ts';
import { credentialJsonOf } from './public-credential.ts';
import { setCredentialHidden, type RevocationOutcome } from './revocation.ts';
import { describePassRule, type ScoreResult } from './rules.ts';

export interface EarnedCredentialView {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly issuedAt: Date;
  readonly revoked: boolean;
  readonly revocationReason: string | null;
  readonly hidden: boolean;
  readonly linkedInUrl: string;
}

export interface InProgressView {
  readonly definitionId: string;
  readonly title: string;
  readonly rule: string;
  readonly score?: { readonly score: number; readonly maximum?: number | undefined } | undefined;
}

export interface LearnerCredentialsView {
  readonly earned: readonly EarnedCredentialView[];
  readonly inProgress: readonly InProgressView[];
}

export async function learnerCredentials(deps: IssuanceDeps, session: CourseSession, scores: ReadonlyMap<string, ScoreResult> = new Map()): Promise<LearnerCredentialsView> {
  const held = await deps.store.awards.currentForLearner(learnerKeyOf(session));
  const earned = held.map((record): EarnedCredentialView => {
    const eu = readEuElements(credentialJsonOf(record.jwt));
    const url = credentialUrl(deps.publicUrl, record.id);
    const title = eu.title ?? 'Micro-credential';
    return {
      id: record.id,
      url,
      title,
      issuedAt: record.issuedAt,
      revoked: record.revokedAt !== null,
      revocationReason: record.revocationReason,
      hidden: record.hiddenAt !== null,
      linkedInUrl: linkedInAddToProfileUrl({ name: title, organizationName: eu.awardingBody?.name ?? deps.publicUrl, issuedAt: record.issuedAt, certUrl: url, certId: record.id }),
    };
  });
  const heldDefinitions = new Set(held.map((r) => r.definitionId));
  const definitions = await deps.store.definitions.listInContext(session);
  const inProgress = definitions
    .filter((d) => d.published && !heldDefinitions.has(d.id))
    .map((d): InProgressView => {
      const score = scores.get(d.id);
      const title = d.definition.title as Record<string, string> | undefined;
      const lang = typeof d.definition.defaultLanguage === 'string' ? d.definition.defaultLanguage : 'en';
      return {
        definitionId: d.id,
        title: title?.[lang] ?? Object.values(title ?? {})[0] ?? 'Micro-credential',
        rule: d.passRule ? describePassRule(d.passRule) : d.stackRule ? 'Earn the micro-credentials this one is made of' : 'Not decided yet',
        score: typeof score?.resultScore === 'number' ? { score: score.resultScore, maximum: score.resultMaximum ?? undefined } : undefined,
      };
    });
  return { earned, inProgress };
}

/** The learner hides or shows the public page of one of their own credentials. */
export function learnerSetHidden(deps: IssuanceDeps, session: CourseSession, credentialId: string, hidden: boolean): Promise<RevocationOutcome> {
  return setCredentialHidden(deps, { credentialId, learnerKey: learnerKeyOf(session), hidden });
}

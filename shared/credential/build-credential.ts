/**
 * Open Badges 3.0 AchievementCredential (VC Data Model 2.0) for one award of an EU micro-credential
 * (Council Recommendation 2022/C 243/02, Annex I); where each element lands is in shared/ARCHITECTURE.md.
 */
import { checkDefinition } from './completeness.ts';
import { MICROCRED_CONTEXT_URL, OB_CONTEXT_URL, VC_V2_CONTEXT_URL } from './context.ts';
import { buildIssuerProfile } from './issuer-profile.ts';
import { buildTranslations, textIn, TRANSLATED_FIELDS } from './lang-text.ts';
import type { AwardResult, Learner, MicroCredentialDefinition } from './types.ts';

const EQF_FRAMEWORK = 'European Qualifications Framework';
/** EQF level n is the Europass concept http://data.europa.eu/snb/eqf/n. */
export const EQF_LEVEL_URI = 'http://data.europa.eu/snb/eqf/';
/** Alignment targetType per role: OB 3.0 AlignmentTargetType values, or `ext:` where the enum has none. */
export const ALIGNMENT_TYPE = {
  outcome: 'ceasn:Competency',
  eqf: 'ext:EQFLevel',
  nqf: 'ext:NQFLevel',
  stacksTowards: 'ceterms:Credential',
} as const;

/** OB requires targetUrl; an outcome without a skill URI gets this fragment of the achievement id. */
export const outcomeTargetUrl = (achievementId: string, n: number): string => `${achievementId}#outcome-${n}`;
export const nqfTargetUrl = (achievementId: string): string => `${achievementId}#nqf-level`;

export class CredentialBuildError extends Error {
  constructor(readonly code: 'CREDENTIAL_DEFINITION_INVALID' | 'CREDENTIAL_LEARNER_INVALID', message: string) {
    super(message);
    this.name = 'CredentialBuildError';
  }
}

export interface BuildCredentialArgs {
  readonly definition: MicroCredentialDefinition;
  readonly learner: Learner;
  readonly result?: AwardResult;
  readonly issuerId: string;
  /** urn:uuid:… or an https URL. */
  readonly credentialId: string;
  readonly credentialStatus?: Record<string, unknown> | Record<string, unknown>[];
  /** Salt for the email IdentityHash; a random one when absent. */
  readonly salt?: string;
}

/**
 * OB 3.0 IdentityHash of an email address: `sha256$` + hex SHA-256 of the address and the salt.
 * The address is trimmed and lower-cased first, so a verifier who knows it can recompute the hash.
 */
export async function hashEmail(email: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email.trim().toLowerCase() + salt));
  return `sha256$${toHex(new Uint8Array(digest))}`;
}

export async function buildAchievementCredential(args: BuildCredentialArgs): Promise<Record<string, unknown>> {
  const checked = checkDefinition(args.definition);
  if (!checked.ok) {
    throw new CredentialBuildError('CREDENTIAL_DEFINITION_INVALID', checked.problems.map((p) => p.message).join(' '));
  }
  if (typeof args.learner?.name !== 'string' || args.learner.name.trim() === '') {
    throw new CredentialBuildError('CREDENTIAL_LEARNER_INVALID', 'The learner has no name to put on the credential.');
  }
  const def = checked.definition;
  const lang = def.defaultLanguage;
  const title = textIn(def.title, lang);
  const description = textIn(def.description, lang);
  const issuedAt = isoSeconds(args.result?.issuedAt ?? new Date());
  const grade = args.result?.grade;
  const gradeId = `${def.id}#grade`;
  const statuses = Array.isArray(args.credentialStatus) ? args.credentialStatus : [args.credentialStatus];

  const achievement = {
    id: def.id,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: title,
    description,
    inLanguage: lang,
    criteria: { id: def.criteriaUrl, narrative: def.learningOutcomes.map((o) => `- ${textIn(o.text, lang)}`).join('\n') },
    image: def.image ? { id: def.image, type: 'Image' } : undefined,
    creditsAvailable: def.workload.ects,
    alignment: alignments(def),
    resultDescription: def.gradeScheme
      ? [{ id: gradeId, type: ['ResultDescription'], name: def.gradeScheme.name, resultType: resultTypeOf(def.gradeScheme), valueMin: def.gradeScheme.valueMin, valueMax: def.gradeScheme.valueMax }]
      : undefined,
    tag: def.tags && def.tags.length > 0 ? [...def.tags] : undefined,
    microCredential: microCredentialProfile(def),
    translations: buildTranslations(def),
  };

  return jsonClean({
    '@context': [VC_V2_CONTEXT_URL, OB_CONTEXT_URL, MICROCRED_CONTEXT_URL],
    id: args.credentialId,
    type: ['VerifiableCredential', 'AchievementCredential'],
    name: title,
    description,
    issuer: buildIssuerProfile(args.issuerId, def.awardingBody),
    validFrom: issuedAt,
    validUntil: args.result?.validUntil ? isoSeconds(args.result.validUntil) : undefined,
    awardedDate: issuedAt,
    credentialSubject: {
      id: args.learner.id,
      type: ['AchievementSubject'],
      identifier: await identifiers(args.learner, args.salt ?? randomSalt()),
      achievement,
      creditsEarned: def.workload.ects,
      result: grade ? [{ type: ['Result'], value: grade, resultDescription: def.gradeScheme ? gradeId : undefined }] : undefined,
      activityStartDate: args.result?.activityStartDate ? isoSeconds(args.result.activityStartDate) : undefined,
      activityEndDate: args.result?.activityEndDate ? isoSeconds(args.result.activityEndDate) : undefined,
    },
    // The OB 3.0 schema takes one status object; VC 2.0 allows several.
    credentialStatus: statuses.length > 1 ? statuses : statuses[0],
  });
}

async function identifiers(learner: Learner, salt: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [
    { type: 'IdentityObject', hashed: false, identityHash: learner.name, identityType: 'name' },
  ];
  if (learner.email) {
    out.push({ type: 'IdentityObject', hashed: true, identityHash: await hashEmail(learner.email, salt), identityType: 'emailAddress', salt });
  }
  return out;
}

function alignments(def: MicroCredentialDefinition): Record<string, unknown>[] {
  const lang = def.defaultLanguage;
  const out: Record<string, unknown>[] = def.learningOutcomes.map((outcome, i) => ({
    type: ['Alignment'],
    targetName: textIn(outcome.text, lang),
    targetUrl: outcome.skillUri ?? outcomeTargetUrl(def.id, i + 1),
    targetType: ALIGNMENT_TYPE.outcome,
    targetFramework: outcome.framework ?? (outcome.skillUri?.startsWith('http://data.europa.eu/esco/') ? 'ESCO' : undefined),
  }));
  const { eqf, nqf } = def.level;
  if (eqf !== undefined) {
    out.push({ type: ['Alignment'], targetName: `EQF level ${eqf}`, targetUrl: `${EQF_LEVEL_URI}${eqf}`, targetCode: String(eqf), targetFramework: EQF_FRAMEWORK, targetType: ALIGNMENT_TYPE.eqf });
  }
  if (nqf) {
    out.push({ type: ['Alignment'], targetName: `${nqf.framework} level ${nqf.level}`, targetUrl: nqf.url ?? nqfTargetUrl(def.id), targetCode: nqf.level, targetFramework: nqf.framework, targetType: ALIGNMENT_TYPE.nqf });
  }
  // Stacking targets as credential alignments, not `related`: OB 3.0 reserves `related` for
  // "another Achievement that should be considered the same" (other language or version).
  for (const target of def.stackability?.towards ?? []) {
    out.push({ type: ['Alignment'], targetName: target.name, targetUrl: target.id, targetType: ALIGNMENT_TYPE.stacksTowards });
  }
  return out;
}

function microCredentialProfile(def: MicroCredentialDefinition): Record<string, unknown> {
  const lang = def.defaultLanguage;
  const texts = Object.fromEntries(TRANSLATED_FIELDS.map((field) => [field, textIn(def[field], lang)]));
  const { hours } = def.workload;
  return {
    type: ['MicroCredentialProfile'],
    volumeOfLearning: hours !== undefined ? hoursToDuration(hours) : undefined,
    qfEhea: def.level.qfEhea,
    levelNotApplicable: def.level.notApplicable === true ? true : undefined,
    ...texts,
    participationForm: def.participationForm,
    supervision: def.supervision,
    stackability: def.stackability
      ? { kind: def.stackability.kind, towards: def.stackability.towards?.map((t) => ({ id: t.id, name: t.name })) }
      : undefined,
    duration: def.duration,
    pace: def.pace,
    occupationalStandards: def.occupationalStandards?.map((s) => ({ id: s.uri, name: s.name })),
  };
}

/** 37.5 → "PT37H30M" (xsd:duration has no fractional hours). */
function hoursToDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h}H${m ? `${m}M` : ''}`;
}

function resultTypeOf(scheme: NonNullable<MicroCredentialDefinition['gradeScheme']>): string {
  const numeric = (v?: string) => v !== undefined && v.trim() !== '' && Number.isFinite(Number(v));
  return numeric(scheme.valueMin) && numeric(scheme.valueMax) ? 'RawScore' : 'Result';
}

/** ISO 8601 in UTC to the second: 2026-03-02T10:15:00Z. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function randomSalt(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Drops undefined members everywhere, so the output is exactly what JSON.stringify would keep. */
function jsonClean<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(jsonClean) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.map(([k, v]) => [k, jsonClean(v)])) as T;
}

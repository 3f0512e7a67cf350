/**
 * Council Recommendation 2022/C 243/02, Annex I, read back from any Open Badges 3.0 credential:
 * ours (with the microcred context) or anyone else's. Malformed members count as absent; nothing throws.
 */
import { ALIGNMENT_TYPE, EQF_LEVEL_URI, nqfTargetUrl, outcomeTargetUrl } from './build-credential.ts';
import { gatherLangText } from './lang-text.ts';
import { MANDATORY_ELEMENTS } from './types.ts';
import type { CedefopDescriptors, EuElements, Level, Stackability, Workload } from './types.ts';

type Json = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function readEuElements(credential: Record<string, unknown>): EuElements {
  const vc = obj(credential) ?? {};
  const subject = first(vc.credentialSubject) ?? {};
  const achievement = obj(subject.achievement) ?? {};
  const ext = obj(achievement.microCredential) ?? {};
  const translations = obj(achievement.translations);
  // BCP 47 "und" (undetermined) when the issuer does not say which language name and description are in.
  const lang = str(achievement.inLanguage) ?? 'und';
  const achievementId = str(achievement.id);
  const alignments = list(achievement.alignment);
  const out: Mutable<Omit<EuElements, 'missing'>> = {};

  const identities = list(subject.identifier);
  const name = str(identities.find((i) => i.identityType === 'name' && i.hashed !== true)?.identityHash) ?? str(subject.name);
  const learnerId = str(subject.id);
  if (name || learnerId || identities.some((i) => str(i.identityHash))) {
    out.learner = defined({ name, id: learnerId, emailHashed: identities.some((i) => i.identityType === 'emailAddress' && i.hashed === true) || undefined });
  }

  out.title = str(achievement.name) ?? str(vc.name);
  out.titles = gatherLangText(out.title, lang, translations, 'name');

  const issuer = typeof vc.issuer === 'string' ? { id: vc.issuer } : obj(vc.issuer);
  const issuerId = str(issuer?.id);
  if (issuerId) out.awardingBody = defined({ id: issuerId, name: str(issuer?.name), url: str(issuer?.url) });
  const address = obj(issuer?.address);
  out.country = str(address?.addressCountryCode) ?? str(address?.addressCountry);
  out.dateOfIssuing = str(vc.validFrom) ?? str(vc.awardedDate) ?? str(vc.issuanceDate);

  const outcomes = alignments.filter((a) => roleOf(a) === 'outcome' && str(a.targetName));
  if (outcomes.length > 0) {
    out.learningOutcomes = outcomes.map((a, i) => {
      const url = str(a.targetUrl);
      const synthetic = achievementId !== undefined && url === outcomeTargetUrl(achievementId, i + 1);
      return defined({ text: str(a.targetName) as string, skillUri: synthetic ? undefined : url });
    });
  }

  const workload: Mutable<Workload> = {};
  const ects = num(achievement.creditsAvailable) ?? num(subject.creditsEarned);
  if (ects !== undefined) workload.ects = ects;
  const hours = durationToHours(ext.volumeOfLearning);
  if (hours !== undefined) workload.hours = hours;
  if (Object.keys(workload).length > 0) out.workload = workload;

  const level = readLevel(alignments, ext, achievementId);
  if (Object.keys(level).length > 0) out.level = level;

  out.assessmentType = str(ext.assessmentType);
  out.participationForm = str(ext.participationForm);
  out.qualityAssurance = str(ext.qualityAssurance);
  out.prerequisites = str(ext.prerequisites);
  out.supervision = str(ext.supervision);
  out.grade = str(list(subject.result).find((r) => str(r.value))?.value);
  out.stackability = readStackability(ext, alignments);
  out.furtherInformation = str(ext.furtherInformation);
  out.descriptors = readDescriptors(ext, lang, translations);

  const read = defined(out);
  return { ...read, missing: MANDATORY_ELEMENTS.filter((element) => read[element] === undefined) };
}

/** Which part of the Annex an alignment carries: ours by targetType, others' by framework name or URL. */
function roleOf(a: Json): 'outcome' | 'eqf' | 'nqf' | 'stacksTowards' {
  const type = str(a.targetType);
  const framework = str(a.targetFramework) ?? '';
  if (type === ALIGNMENT_TYPE.eqf || /european qualifications? framework|^eqf\b/i.test(framework) || str(a.targetUrl)?.startsWith(EQF_LEVEL_URI)) return 'eqf';
  if (type === ALIGNMENT_TYPE.nqf || /national qualifications? framework|\bnqf\b/i.test(framework)) return 'nqf';
  if (type === ALIGNMENT_TYPE.stacksTowards) return 'stacksTowards';
  return 'outcome';
}

function readLevel(alignments: Json[], ext: Json, achievementId: string | undefined): Level {
  const level: Mutable<Level> = {};
  const eqf = alignments.find((a) => roleOf(a) === 'eqf');
  if (eqf) {
    const url = str(eqf.targetUrl);
    const fromUrl = url?.startsWith(EQF_LEVEL_URI) ? url.slice(EQF_LEVEL_URI.length) : undefined;
    const code = str(eqf.targetCode) ?? fromUrl ?? str(eqf.targetName)?.match(/\d+/)?.[0];
    const n = Number(code);
    if (Number.isInteger(n) && n >= 1 && n <= 8) level.eqf = n;
  }
  const nqf = alignments.find((a) => roleOf(a) === 'nqf');
  const nqfLevel = str(nqf?.targetCode) ?? str(nqf?.targetName);
  if (nqf && nqfLevel) {
    const url = str(nqf.targetUrl);
    const synthetic = achievementId !== undefined && url === nqfTargetUrl(achievementId);
    level.nqf = defined({ framework: str(nqf.targetFramework) ?? 'National qualifications framework', level: nqfLevel, url: synthetic ? undefined : url });
  }
  const cycle = str(ext.qfEhea);
  if (cycle === 'short' || cycle === 'first' || cycle === 'second' || cycle === 'third') level.qfEhea = cycle;
  if (ext.levelNotApplicable === true) level.notApplicable = true;
  return level;
}

function readStackability(ext: Json, alignments: Json[]): Stackability | undefined {
  const declared = obj(ext.stackability);
  const towardsFrom = (items: Json[], id: string, name: string) =>
    items.flatMap((t) => (str(t[id]) && str(t[name]) ? [{ id: str(t[id]) as string, name: str(t[name]) as string }] : []));
  const targets = towardsFrom(list(declared?.towards), 'id', 'name');
  const aligned = towardsFrom(alignments.filter((a) => roleOf(a) === 'stacksTowards'), 'targetUrl', 'targetName');
  const towards = targets.length > 0 ? targets : aligned;
  const declaredKind = declared?.kind;
  const kind: Stackability['kind'] | undefined =
    declaredKind === 'standalone' || declaredKind === 'stackable' ? declaredKind : towards.length > 0 ? 'stackable' : undefined;
  return kind ? defined({ kind, towards: towards.length > 0 ? towards : undefined }) : undefined;
}

function readDescriptors(ext: Json, lang: string, translations: Json | undefined): CedefopDescriptors | undefined {
  const text = (key: string) => gatherLangText(str(ext[key]), lang, translations, key);
  const paceValue = ext.pace;
  const pace: CedefopDescriptors['pace'] =
    paceValue === 'self-paced' || paceValue === 'scheduled' || paceValue === 'full-time' || paceValue === 'part-time' ? paceValue : undefined;
  const standards = list(ext.occupationalStandards).flatMap((s) => (str(s.id) && str(s.name) ? [{ uri: str(s.id) as string, name: str(s.name) as string }] : []));
  const descriptors = defined({
    duration: str(ext.duration),
    pace,
    modeOfDelivery: text('modeOfDelivery'),
    occupationalStandards: standards.length > 0 ? standards : undefined,
    targetGroup: text('targetGroup'),
    purpose: text('purpose'),
  });
  return Object.keys(descriptors).length > 0 ? descriptors : undefined;
}

/** "PT37H30M" → 37.5; other shapes are not workload hours we can read. */
function durationToHours(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?$/.exec(value) : null;
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) + Number(match[2] ?? 0) / 60;
}

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** JSON-LD lets a single value stand for a one-element array. */
function list(value: unknown): Json[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => {
    const o = obj(item);
    return o ? [o] : [];
  });
}

function first(value: unknown): Json | undefined {
  return list(value)[0];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

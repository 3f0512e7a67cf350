/**
 * The instructor's definition form (flat HTML form fields, no script) to and from a
 * MicroCredentialDefinition with its pass and stack rule. Texts are per language
 * (`title.en`, `title.de`, `outcome.0.text.en` …); the form is re-rendered with what was typed
 * and the problems found, so nothing typed is lost.
 */
import type { IssuanceDeps } from './award-engine.ts';
import { canManageCredentials, CourseAccessError, inSessionContext, type CourseSession } from './course-session.ts';
import { saveDefinition, type SaveDefinitionOutcome } from './definitions.ts';

export type FormFields = Readonly<Record<string, string | readonly string[] | undefined>>;

export const TRANSLATABLE = ['title', 'description', 'assessmentType', 'qualityAssurance', 'prerequisites', 'furtherInformation'] as const;
export const MAX_OUTCOMES = 30;
const MAX_FIELD_LENGTH = 5_000;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const one = (fields: FormFields, name: string): string => {
  const value = fields[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : typeof value === 'string' ? value : '';
  return text.trim().slice(0, MAX_FIELD_LENGTH);
};
const many = (fields: FormFields, name: string): string[] => {
  const value = fields[name];
  return (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).map((v) => String(v).trim()).filter(Boolean);
};
const num = (text: string): number | undefined => (text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));

/** Default language first, then the others the instructor listed (at most 6). */
export function formLanguages(fields: FormFields): string[] {
  const first = one(fields, 'defaultLanguage') || 'en';
  const others = one(fields, 'otherLanguages').split(/[\s,;]+/).filter((l) => l && l !== first);
  return [first, ...others].filter((l) => LANGUAGE.test(l)).filter((l, i, all) => all.indexOf(l) === i).slice(0, 6);
}

export function definitionFromForm(fields: FormFields): { definition: Record<string, unknown>; passRule: unknown; stackRule: unknown } {
  const languages = formLanguages(fields);
  const texts = (name: string) => {
    const out = Object.fromEntries(languages.map((lang) => [lang, one(fields, `${name}.${lang}`)]).filter(([, v]) => v !== ''));
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const outcomes = [];
  for (let i = 0; i < MAX_OUTCOMES; i += 1) {
    const text = texts(`outcome.${i}.text`);
    const skillUri = one(fields, `outcome.${i}.skillUri`);
    if (text) outcomes.push({ text, ...(skillUri ? { skillUri } : {}) });
  }
  const eqf = num(one(fields, 'level.eqf'));
  const nqfFramework = one(fields, 'level.nqfFramework');
  const nqfLevel = one(fields, 'level.nqfLevel');
  const level = {
    ...(eqf !== undefined ? { eqf } : {}),
    ...(nqfFramework && nqfLevel ? { nqf: { framework: nqfFramework, level: nqfLevel } } : {}),
    ...(one(fields, 'level.notApplicable') === 'on' ? { notApplicable: true } : {}),
  };
  const ects = num(one(fields, 'workload.ects'));
  const hours = num(one(fields, 'workload.hours'));
  const kind = one(fields, 'rule.kind');
  const minScore = num(one(fields, 'rule.minScore'));
  const scoreMaximum = num(one(fields, 'rule.scoreMaximum'));
  const parts = many(fields, 'stack.parts');
  const passRule = kind === 'completion' ? { kind } : kind === 'min-score' ? { kind, minScore, scoreMaximum } : undefined;
  const stackRule = kind === 'stack' ? (one(fields, 'stack.mode') === 'nOf' ? { nOf: num(one(fields, 'stack.n')), of: parts } : { allOf: parts }) : undefined;
  const definition: Record<string, unknown> = {
    ...(one(fields, 'achievementId') ? { id: one(fields, 'achievementId') } : {}),
    defaultLanguage: languages[0] ?? 'en',
    learningOutcomes: outcomes,
    awardingBody: {
      name: one(fields, 'awardingBody.name'),
      url: one(fields, 'awardingBody.url'),
      ...(one(fields, 'awardingBody.countryCode') ? { countryCode: one(fields, 'awardingBody.countryCode').toUpperCase() } : {}),
      ...(one(fields, 'awardingBody.region') ? { region: one(fields, 'awardingBody.region') } : {}),
    },
    workload: { ...(ects !== undefined ? { ects } : {}), ...(hours !== undefined ? { hours } : {}) },
    level,
    ...(one(fields, 'participationForm') ? { participationForm: one(fields, 'participationForm') } : {}),
    ...(one(fields, 'supervision') ? { supervision: one(fields, 'supervision') } : {}),
    ...(one(fields, 'stackability') ? { stackability: { kind: one(fields, 'stackability') } } : {}),
    ...(one(fields, 'image') ? { image: one(fields, 'image') } : {}),
    ...(passRule?.kind === 'min-score' && scoreMaximum !== undefined ? { gradeScheme: { name: `Score out of ${scoreMaximum}`, valueMin: '0', valueMax: String(scoreMaximum) } } : {}),
  };
  for (const name of TRANSLATABLE) {
    const value = texts(name);
    if (value) definition[name] = value;
  }
  return { definition, passRule, stackRule };
}

/** Form fields for an existing definition, to render the edit form. */
export function formFromDefinition(record: { definition: Record<string, unknown>; passRule: unknown; stackRule: unknown }): Record<string, string | string[]> {
  const d = record.definition as Record<string, any>;
  const languages = new Set<string>([d.defaultLanguage ?? 'en']);
  const out: Record<string, string | string[]> = { defaultLanguage: d.defaultLanguage ?? 'en' };
  const setTexts = (name: string, text: Record<string, string> | undefined) => {
    for (const [lang, value] of Object.entries(text ?? {})) {
      languages.add(lang);
      out[`${name}.${lang}`] = value;
    }
  };
  for (const name of TRANSLATABLE) setTexts(name, d[name]);
  (d.learningOutcomes ?? []).forEach((o: any, i: number) => {
    setTexts(`outcome.${i}.text`, o.text);
    if (o.skillUri) out[`outcome.${i}.skillUri`] = o.skillUri;
  });
  out.otherLanguages = [...languages].filter((l) => l !== out.defaultLanguage).join(', ');
  if (typeof d.id === 'string') out.achievementId = d.id;
  for (const [key, value] of Object.entries({ name: d.awardingBody?.name, url: d.awardingBody?.url, countryCode: d.awardingBody?.countryCode, region: d.awardingBody?.region })) if (value) out[`awardingBody.${key}`] = String(value);
  if (d.workload?.ects !== undefined) out['workload.ects'] = String(d.workload.ects);
  if (d.workload?.hours !== undefined) out['workload.hours'] = String(d.workload.hours);
  if (d.level?.eqf !== undefined) out['level.eqf'] = String(d.level.eqf);
  if (d.level?.nqf) Object.assign(out, { 'level.nqfFramework': d.level.nqf.framework, 'level.nqfLevel': d.level.nqf.level });
  if (d.level?.notApplicable) out['level.notApplicable'] = 'on';
  for (const key of ['participationForm', 'supervision', 'image']) if (typeof d[key] === 'string') out[key] = d[key];
  if (d.stackability?.kind) out.stackability = d.stackability.kind;
  const pass = record.passRule as Record<string, any> | null;
  const stack = record.stackRule as Record<string, any> | null;
  if (pass) Object.assign(out, { 'rule.kind': pass.kind, ...(pass.kind === 'min-score' ? { 'rule.minScore': String(pass.minScore), 'rule.scoreMaximum': String(pass.scoreMaximum) } : {}) });
  if (stack) Object.assign(out, { 'rule.kind': 'stack', 'stack.mode': 'allOf' in stack ? 'allOf' : 'nOf', 'stack.parts': 'allOf' in stack ? stack.allOf : stack.of, ...('nOf' in stack ? { 'stack.n': String(stack.nOf) } : {}) });
  return out;
}

/** Saves the form for the session's course (as a draft, or published when `publish`); instructors only. */
export async function saveDefinitionFromForm(deps: IssuanceDeps, session: CourseSession, fields: FormFields, options: { id?: string; publish: boolean; resourceLinkId?: string; lineItemId?: string }): Promise<SaveDefinitionOutcome> {
  if (!canManageCredentials(session)) throw new CourseAccessError('NOT_INSTRUCTOR', 'Only the course’s instructors can define micro-credentials.');
  const existing = options.id === undefined ? undefined : await deps.store.definitions.get(options.id);
  if (options.id !== undefined && !inSessionContext(existing, session)) throw new CourseAccessError('NOT_IN_COURSE', 'This micro-credential does not belong to this course.');
  const { definition, passRule, stackRule } = definitionFromForm(fields);
  // A stack is made of this course's micro-credentials only: ids from elsewhere are refused like unknown ones.
  const parts = (stackRule as { allOf?: unknown; of?: unknown } | undefined)?.allOf ?? (stackRule as { of?: unknown } | undefined)?.of;
  for (const part of Array.isArray(parts) ? parts : []) {
    if (typeof part === 'string' && !inSessionContext(await deps.store.definitions.get(part), session)) {
      return { ok: false, code: 'DEFINITION_INVALID', problems: [{ element: 'stackRule', message: `The stack names a micro-credential that is not part of this course (${part.slice(0, 60)}).` }] };
    }
  }
  const binding = {
    platformId: session.platformId,
    deploymentId: session.deploymentId,
    contextId: session.contextId,
    resourceLinkId: options.resourceLinkId ?? existing?.binding.resourceLinkId,
    lineItemId: options.lineItemId ?? existing?.binding.lineItemId,
  };
  return saveDefinition(deps.store.definitions, { definition, passRule, stackRule, binding, publish: options.publish }, options.id === undefined ? {} : { id: options.id });
}

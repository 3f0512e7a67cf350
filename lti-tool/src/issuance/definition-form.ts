/**
 * The instructor's definition form (flat HTML form fields, no script) to and from a
 * MicroCredentialDefinition with its pass rule (minimum score, completion, or a criterion watched
 * in the LMS over the course outline the LMS connection reads) and stack rule. Texts are per language
 * (`title.en`, `title.de`, `outcome.0.text.en` …); the form is re-rendered with what was typed
 * and the problems found, so nothing typed is lost.
 */
import type { IssuanceDeps } from './award-engine.ts';
import { canManageCredentials, CourseAccessError, inSessionContext, type CourseSession } from './course-session.ts';
import { saveDefinition, type SaveDefinitionOutcome } from './definitions.ts';
import { LmsError, type CourseOutline, type LmsKind } from '../lms/lms-source.ts';
import type { LmsConnections } from '../lms/lms-connections.ts';
import { lmsCourseIdOf } from '../lms/lms-identity.ts';
import type { LmsCriterion } from '../lms/lms-rules.ts';

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

/** The LMS course an "lms" pass rule of this session watches: the platform's connected LMS and the launch's course there. */
export interface LmsCourse {
  readonly source: LmsKind;
  readonly courseId: string;
}

/** The LMS criterion from the picker's fields (lms-rule-picker.tsx); validateLmsRule judges it. */
function lmsCriterionFromForm(fields: FormFields): Record<string, unknown> {
  const kind = one(fields, 'lms.criterion') as LmsCriterion['kind'];
  if (kind === 'activities-complete') return { kind, activityIds: many(fields, 'lms.activity') };
  if (kind === 'modules-complete' || kind === 'module-requirements') return { kind, moduleIds: many(fields, 'lms.module') };
  if (kind === 'min-grade') {
    // Name and maximum travel as hidden fields beside each grade item, as the outline showed them.
    return { kind, items: many(fields, 'lms.gradeItem').map((id) => ({ id, name: one(fields, `lms.name.${id}`), minimum: num(one(fields, `lms.min.${id}`)), maximum: num(one(fields, `lms.max.${id}`)) })) };
  }
  return { kind };
}

export function definitionFromForm(fields: FormFields, lmsCourse?: LmsCourse): { definition: Record<string, unknown>; passRule: unknown; stackRule: unknown } {
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
  // The LMS and course come from the session, never from the form: an instructor watches only their own course.
  const passRule = kind === 'completion' ? { kind } : kind === 'min-score' ? { kind, minScore, scoreMaximum } : kind === 'lms' ? { kind, ...lmsCourse, criterion: lmsCriterionFromForm(fields) } : undefined;
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
  if (pass) Object.assign(out, { 'rule.kind': pass.kind, ...(pass.kind === 'min-score' ? { 'rule.minScore': String(pass.minScore), 'rule.scoreMaximum': String(pass.scoreMaximum) } : {}), ...(pass.kind === 'lms' ? lmsFieldsOf(pass.criterion) : {}) });
  if (stack) Object.assign(out, { 'rule.kind': 'stack', 'stack.mode': 'allOf' in stack ? 'allOf' : 'nOf', 'stack.parts': 'allOf' in stack ? stack.allOf : stack.of, ...('nOf' in stack ? { 'stack.n': String(stack.nOf) } : {}) });
  return out;
}

function lmsFieldsOf(criterion: LmsCriterion): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { 'lms.criterion': criterion.kind };
  if (criterion.kind === 'activities-complete') out['lms.activity'] = [...criterion.activityIds];
  if (criterion.kind === 'modules-complete' || criterion.kind === 'module-requirements') out['lms.module'] = [...criterion.moduleIds];
  if (criterion.kind === 'min-grade') {
    out['lms.gradeItem'] = criterion.items.map((item) => item.id);
    for (const item of criterion.items) Object.assign(out, { [`lms.min.${item.id}`]: String(item.minimum), [`lms.max.${item.id}`]: String(item.maximum), [`lms.name.${item.id}`]: item.name });
  }
  return out;
}

/** Saves the form for the session's course (as a draft, or published when `publish`); instructors only. */
export async function saveDefinitionFromForm(deps: IssuanceDeps, session: CourseSession, fields: FormFields, options: { id?: string; publish: boolean; resourceLinkId?: string; lineItemId?: string; lmsCourse?: LmsCourse }): Promise<SaveDefinitionOutcome> {
  if (!canManageCredentials(session)) throw new CourseAccessError('NOT_INSTRUCTOR', 'Only the course’s instructors can define micro-credentials.');
  const existing = options.id === undefined ? undefined : await deps.store.definitions.get(options.id);
  if (options.id !== undefined && !inSessionContext(existing, session)) throw new CourseAccessError('NOT_IN_COURSE', 'This micro-credential does not belong to this course.');
  if (one(fields, 'rule.kind') === 'lms' && !options.lmsCourse) {
    return { ok: false, code: 'DEFINITION_INVALID', problems: [{ element: 'passRule', message: 'This course’s LMS is not connected to the tool, so completion in the LMS cannot be watched: ask your microcred admin to connect it first.' }] };
  }
  const { definition, passRule, stackRule } = definitionFromForm(fields, options.lmsCourse);
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

/** What the definition form can offer for "Completed in the LMS" in this session, with the course outline to pick from. */
export type LmsChoice =
  | { readonly state: 'unavailable' }
  | { readonly state: 'no-course'; readonly kind: LmsKind }
  | { readonly state: 'unreadable'; readonly course: LmsCourse; readonly error: unknown }
  | { readonly state: 'ready'; readonly course: LmsCourse; readonly outline: CourseOutline };

/** The session's LMS course: the platform's connection kind and the course id the launch names there (Canvas: a custom field). */
export async function lmsCourseOf(lms: LmsConnections | undefined, platformId: string, launch: Readonly<Record<string, unknown>>): Promise<LmsCourse | { kind: LmsKind } | undefined> {
  const connection = await lms?.get(platformId);
  if (!connection) return undefined;
  const courseId = lmsCourseIdOf(connection.kind, launch);
  return courseId ? { source: connection.kind, courseId } : { kind: connection.kind };
}

export async function lmsChoiceFor(lms: LmsConnections | undefined, platformId: string, launch: Readonly<Record<string, unknown>>): Promise<LmsChoice> {
  const course = await lmsCourseOf(lms, platformId, launch);
  if (!course || !lms) return { state: 'unavailable' };
  if (!('source' in course)) return { state: 'no-course', kind: course.kind };
  try {
    const source = await lms.source(platformId);
    if (!source) return { state: 'unavailable' };
    return { state: 'ready', course, outline: await source.outline(course.courseId) };
  } catch (error) {
    // The form still renders, saying why, with everything typed kept.
    if (error instanceof LmsError) return { state: 'unreadable', course, error };
    throw error;
  }
}

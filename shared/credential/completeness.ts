/**
 * Council Recommendation 2022/C 243/02, Annex I: is a micro-credential definition complete and
 * well-formed, before any credential is issued from it? Problems are returned, never thrown.
 */
import { textIn } from './lang-text.ts';
import { ELEMENT_LABELS, MANDATORY_ELEMENTS } from './types.ts';
import type { MandatoryElement, MicroCredentialDefinition } from './types.ts';

export interface DefinitionProblem {
  /** The Annex I element id, or the field path for problems outside the Annex. */
  readonly element: string;
  readonly message: string;
}

export type DefinitionCheck =
  | { ok: true; definition: MicroCredentialDefinition }
  | { ok: false; missing: MandatoryElement[]; problems: DefinitionProblem[] };

/** OB 3.0 LanguageCode pattern (Achievement.inLanguage). */
const LANGUAGE_TAG = /^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PARTICIPATION = ['online', 'onsite', 'blended'];
const SUPERVISION = ['unsupervised-no-identity-verification', 'supervised-no-identity-verification', 'supervised-with-identity-verification'];
const QF_EHEA = ['short', 'first', 'second', 'third'];
const PACE = ['self-paced', 'scheduled', 'full-time', 'part-time'];
const OPTIONAL_TEXTS = ['prerequisites', 'furtherInformation', 'modeOfDelivery', 'targetGroup', 'purpose'] as const;

export function checkDefinition(def: unknown): DefinitionCheck {
  const missing = new Set<MandatoryElement>();
  const problems: DefinitionProblem[] = [];
  const problem = (element: string, message: string) => problems.push({ element, message });
  const d = isObject(def) ? def : {};
  if (!isObject(def)) problem('definition', 'The micro-credential definition must be a JSON object.');

  if (!isAbsoluteUri(d.id)) problem('id', 'The definition needs an id: an https URL or a urn:uuid.');
  const lang = typeof d.defaultLanguage === 'string' && LANGUAGE_TAG.test(d.defaultLanguage) ? d.defaultLanguage : undefined;
  if (!lang) problem('defaultLanguage', 'The default language must be a language tag such as "en" or "de-AT".');
  // Without a usable default language, any language counts, so only truly absent texts are reported missing.
  const hasText = (text: unknown) => (lang ? textIn(text, lang) !== undefined : anyText(text));
  const inDefault = `in the default language (${lang ?? 'unknown'})`;

  if (!hasText(d.title)) missing.add('title');
  if (!hasText(d.description)) problem('description', `The definition needs a description ${inDefault}; Open Badges requires one.`);

  const outcomes = Array.isArray(d.learningOutcomes) ? d.learningOutcomes : [];
  if (outcomes.length === 0) missing.add('learningOutcomes');
  outcomes.forEach((outcome, i) => {
    const o = isObject(outcome) ? outcome : {};
    if (!hasText(o.text)) problem(`learningOutcomes[${i}]`, `Learning outcome ${i + 1} has no text ${inDefault}.`);
    if (o.skillUri !== undefined && !isAbsoluteUri(o.skillUri)) problem(`learningOutcomes[${i}].skillUri`, `Learning outcome ${i + 1}: the skill URI is not a URI.`);
  });

  const body = isObject(d.awardingBody) ? d.awardingBody : {};
  if (!nonBlank(body.name)) missing.add('awardingBody');
  else if (!isWebUrl(body.url)) problem('awardingBody', 'The awarding body needs a web address (https://…).');
  if (body.countryCode === undefined) missing.add('country');
  else if (typeof body.countryCode !== 'string' || !COUNTRY_CODE.test(body.countryCode)) {
    problem('country', 'The country of the issuer must be an ISO 3166-1 alpha-2 code in capitals, such as "DE".');
  }
  if (body.email !== undefined && !(typeof body.email === 'string' && EMAIL.test(body.email))) problem('awardingBody.email', 'The awarding body email address is not valid.');
  if (body.otherIdentifiers !== undefined && !(Array.isArray(body.otherIdentifiers) && body.otherIdentifiers.every((e) => isObject(e) && nonBlank(e.identifier) && nonBlank(e.identifierType)))) {
    problem('awardingBody.otherIdentifiers', 'Each identifier of the awarding body needs an identifier and an identifierType.');
  }

  const workload = isObject(d.workload) ? d.workload : {};
  if (workload.ects !== undefined && !(isFiniteNumber(workload.ects) && workload.ects >= 0)) problem('workload', 'ECTS credits must be a number of 0 or more.');
  if (workload.hours !== undefined && !(isFiniteNumber(workload.hours) && workload.hours > 0)) problem('workload', 'Workload hours must be a number above 0.');
  if (!isFiniteNumber(workload.ects) && !isFiniteNumber(workload.hours)) missing.add('workload');

  const level = isObject(d.level) ? d.level : {};
  const nqf = isObject(level.nqf) ? level.nqf : undefined;
  if (level.eqf !== undefined && !(Number.isInteger(level.eqf) && (level.eqf as number) >= 1 && (level.eqf as number) <= 8)) problem('level', 'The EQF level must be a whole number from 1 to 8.');
  if (level.qfEhea !== undefined && !QF_EHEA.includes(level.qfEhea as string)) problem('level', `The QF-EHEA cycle must be one of: ${QF_EHEA.join(', ')}.`);
  if (level.nqf !== undefined && !(nqf && nonBlank(nqf.framework) && nonBlank(nqf.level) && (nqf.url === undefined || isAbsoluteUri(nqf.url)))) {
    problem('level', 'A national framework level needs the framework name and the level (and, optionally, a URL).');
  }
  if (level.eqf === undefined && level.qfEhea === undefined && level.nqf === undefined && level.notApplicable !== true) missing.add('level');

  if (!hasText(d.assessmentType)) missing.add('assessmentType');
  if (d.participationForm === undefined) missing.add('participationForm');
  else if (!PARTICIPATION.includes(d.participationForm as string)) problem('participationForm', `The form of participation must be one of: ${PARTICIPATION.join(', ')}.`);
  if (!hasText(d.qualityAssurance)) missing.add('qualityAssurance');

  for (const field of OPTIONAL_TEXTS) {
    if (d[field] !== undefined && !hasText(d[field])) problem(field, `${field}, when given, needs a text ${inDefault}.`);
  }
  if (d.supervision !== undefined && !SUPERVISION.includes(d.supervision as string)) problem('supervision', `Supervision must be one of: ${SUPERVISION.join(', ')}.`);
  if (d.stackability !== undefined && !isStackability(d.stackability)) {
    problem('stackability', 'Stackability needs a kind (standalone or stackable) and, optionally, credentials it stacks towards, each with an id and a name.');
  }
  const scheme = isObject(d.gradeScheme) ? d.gradeScheme : undefined;
  if (d.gradeScheme !== undefined && !(scheme && nonBlank(scheme.name) && optionalString(scheme.valueMin) && optionalString(scheme.valueMax))) {
    problem('gradeScheme', 'A grade scheme needs a name; valueMin and valueMax, when given, are strings.');
  }
  if (d.image !== undefined && !(isWebUrl(d.image) || (typeof d.image === 'string' && d.image.startsWith('data:image/')))) problem('image', 'The image must be an https URL or a data:image URI.');
  if (d.criteriaUrl !== undefined && !isWebUrl(d.criteriaUrl)) problem('criteriaUrl', 'The criteria page must be an https URL.');
  if (d.tags !== undefined && !(Array.isArray(d.tags) && d.tags.every(nonBlank))) problem('tags', 'Tags must be a list of words.');
  if (d.duration !== undefined && !(typeof d.duration === 'string' && ISO_DURATION.test(d.duration))) problem('duration', 'The duration must be an ISO 8601 duration such as "P6W".');
  if (d.pace !== undefined && !PACE.includes(d.pace as string)) problem('pace', `The pace must be one of: ${PACE.join(', ')}.`);
  if (d.occupationalStandards !== undefined && !(Array.isArray(d.occupationalStandards) && d.occupationalStandards.every((s) => isObject(s) && isAbsoluteUri(s.uri) && nonBlank(s.name)))) {
    problem('occupationalStandards', 'Each occupational standard needs a URI and a name.');
  }

  const absent = MANDATORY_ELEMENTS.filter((element) => missing.has(element));
  if (absent.length === 0 && problems.length === 0) return { ok: true, definition: def as MicroCredentialDefinition };
  const refusals = absent.map((element) => ({ element, message: `Missing mandatory element: ${ELEMENT_LABELS[element]} (${element})` }));
  return { ok: false, missing: absent, problems: [...refusals, ...problems] };
}

function isStackability(value: unknown): boolean {
  if (!isObject(value) || (value.kind !== 'standalone' && value.kind !== 'stackable')) return false;
  return value.towards === undefined || (Array.isArray(value.towards) && value.towards.every((t) => isObject(t) && isAbsoluteUri(t.id) && nonBlank(t.name)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function anyText(text: unknown): boolean {
  return isObject(text) && Object.values(text).some(nonBlank);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isAbsoluteUri(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(value);
}

function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

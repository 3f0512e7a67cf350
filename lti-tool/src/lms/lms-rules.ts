/**
 * "Award when the learner has completed this in the LMS": the criteria a definition can name over
 * the LMS's own completion and grade data (issue 7), checked against LearnerProgress read by the
 * watcher. Moodle: activities (course modules) complete, a section's tracked activities complete,
 * course complete, minimum grade in grade items. Canvas: modules completed (module `state`), all
 * requirements of modules met, minimum score in assignments.
 */
import type { LearnerProgress, LmsKind, ProgressNeeds } from './lms-source.ts';

export type LmsCriterion =
  | { readonly kind: 'activities-complete'; readonly activityIds: readonly string[] }
  | { readonly kind: 'modules-complete'; readonly moduleIds: readonly string[] }
  | { readonly kind: 'module-requirements'; readonly moduleIds: readonly string[] }
  | { readonly kind: 'course-complete' }
  | { readonly kind: 'min-grade'; readonly items: readonly GradeThreshold[] };

export interface GradeThreshold {
  readonly id: string;
  /** Shown to the instructor and on the credential's criteria. */
  readonly name: string;
  readonly minimum: number;
  /** The item's maximum when the rule was written; the live maximum is used for the comparison. */
  readonly maximum: number;
}

/** A pass rule over LMS data: which LMS, which course there (Moodle course id, Canvas course id) and the criterion. */
export interface LmsPassRule {
  readonly kind: 'lms';
  readonly source: LmsKind;
  readonly courseId: string;
  readonly criterion: LmsCriterion;
}

export type LmsRuleProblem = { readonly field: string; readonly message: string };

const MAX_IDS = 200;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const CRITERIA_OF: Record<LmsKind, readonly LmsCriterion['kind'][]> = {
  moodle: ['activities-complete', 'modules-complete', 'course-complete', 'min-grade'],
  canvas: ['activities-complete', 'modules-complete', 'module-requirements', 'min-grade'],
};

export function validateLmsRule(value: unknown): { ok: true; rule: LmsPassRule } | { ok: false; problem: LmsRuleProblem } {
  const rule = value as Record<string, unknown> | null;
  const source = rule?.source as LmsKind | undefined;
  if (source !== 'moodle' && source !== 'canvas') return bad('passRule.source', 'An LMS rule must name the LMS it reads: Moodle or Canvas.');
  if (typeof rule?.courseId !== 'string' || !ID.test(rule.courseId)) return bad('passRule.courseId', 'An LMS rule must name the course it watches.');
  const criterion = rule.criterion as Record<string, unknown> | null;
  const kind = criterion?.kind as LmsCriterion['kind'] | undefined;
  if (!kind || !CRITERIA_OF[source].includes(kind)) {
    return bad('passRule.criterion', `Choose what the learner must complete in ${source === 'moodle' ? 'Moodle' : 'Canvas'}: ${CRITERIA_OF[source].map(describeKind).join(', ')}.`);
  }
  const base = { kind: 'lms' as const, source: source as LmsKind, courseId: rule.courseId };
  if (kind === 'course-complete') return { ok: true, rule: { ...base, criterion: { kind } } };
  if (kind === 'min-grade') {
    const items = criterion?.items;
    if (!Array.isArray(items) || items.length === 0) return bad('passRule.criterion.items', 'Choose at least one grade item and the minimum grade in it.');
    if (items.length > MAX_IDS) return bad('passRule.criterion.items', `Choose at most ${MAX_IDS} grade items.`);
    const thresholds: GradeThreshold[] = [];
    for (const item of items as Record<string, unknown>[]) {
      if (typeof item?.id !== 'string' || !ID.test(item.id)) return bad('passRule.criterion.items', 'A grade item has no usable id.');
      const name = typeof item.name === 'string' && item.name.trim() ? item.name.trim().slice(0, 200) : item.id;
      const { minimum, maximum } = item;
      if (!isFiniteNumber(maximum) || maximum <= 0) return bad('passRule.criterion.items', `The maximum grade of "${name}" must be a number above 0.`);
      if (!isFiniteNumber(minimum) || minimum < 0 || minimum > maximum) return bad('passRule.criterion.items', `The minimum grade in "${name}" must be a number from 0 to ${maximum}.`);
      if (!thresholds.some((t) => t.id === item.id)) thresholds.push({ id: item.id, name, minimum, maximum });
    }
    return { ok: true, rule: { ...base, criterion: { kind, items: thresholds } } };
  }
  const field = kind === 'activities-complete' ? 'activityIds' : 'moduleIds';
  const ids = criterion?.[field];
  if (!Array.isArray(ids) || ids.length === 0) return bad(`passRule.criterion.${field}`, kind === 'activities-complete' ? 'Choose at least one activity.' : 'Choose at least one module or section.');
  if (!ids.every((id) => typeof id === 'string' && ID.test(id))) return bad(`passRule.criterion.${field}`, 'An activity or module has no usable id.');
  const unique = [...new Set(ids as string[])];
  if (unique.length > MAX_IDS) return bad(`passRule.criterion.${field}`, `Choose at most ${MAX_IDS}.`);
  const chosen: LmsCriterion = kind === 'activities-complete' ? { kind, activityIds: unique } : { kind: kind as 'modules-complete' | 'module-requirements', moduleIds: unique };
  return { ok: true, rule: { ...base, criterion: chosen } };
}

/** What a watch cycle must read for a course so that every criterion in it can be decided. */
export function needsOf(criteria: readonly LmsCriterion[]): ProgressNeeds {
  const gradeItemIds = new Set<string>();
  let activities = false;
  let modules = false;
  let course = false;
  for (const criterion of criteria) {
    if (criterion.kind === 'activities-complete') activities = true;
    else if (criterion.kind === 'modules-complete' || criterion.kind === 'module-requirements') modules = true;
    else if (criterion.kind === 'course-complete') course = true;
    else for (const item of criterion.items) gradeItemIds.add(item.id);
  }
  return { activities, modules, course, gradeItemIds: [...gradeItemIds] };
}

/** Does this learner's progress meet the criterion? Grades compare as fractions of the live maximum. */
export function criterionMet(criterion: LmsCriterion, progress: LearnerProgress | undefined): boolean {
  if (!progress) return false;
  switch (criterion.kind) {
    case 'activities-complete':
      return criterion.activityIds.every((id) => progress.completedActivities.has(id));
    case 'modules-complete':
      return criterion.moduleIds.every((id) => progress.completedModules.has(id));
    case 'module-requirements':
      return criterion.moduleIds.every((id) => progress.modulesWithAllRequirements.has(id));
    case 'course-complete':
      return progress.courseComplete === true;
    case 'min-grade':
      return criterion.items.every((item) => {
        const grade = progress.grades.get(item.id);
        if (!grade || !isFiniteNumber(grade.score) || !(grade.maximum > 0)) return false;
        // score/liveMax >= minimum/ruleMax, cross-multiplied.
        return grade.score * item.maximum >= item.minimum * grade.maximum;
      });
  }
}

/** The grade written on the credential for a min-grade criterion ("Quiz 1: 8 / 10; Essay: 17 / 20"). */
export function gradeText(criterion: LmsCriterion, progress: LearnerProgress | undefined): string | undefined {
  if (criterion.kind !== 'min-grade' || !progress) return undefined;
  const parts = criterion.items.map((item) => {
    const grade = progress.grades.get(item.id);
    return grade ? `${item.name}: ${round(grade.score)} / ${round(grade.maximum)}` : undefined;
  });
  return parts.every(Boolean) ? parts.join('; ') : undefined;
}

export function describeLmsRule(rule: LmsPassRule): string {
  const lms = rule.source === 'moodle' ? 'Moodle' : 'Canvas';
  const c = rule.criterion;
  switch (c.kind) {
    case 'activities-complete':
      return `Complete ${c.activityIds.length === 1 ? 'the chosen activity' : `all ${c.activityIds.length} chosen activities`} in ${lms}`;
    case 'modules-complete':
      return `Complete ${c.moduleIds.length === 1 ? `the chosen ${rule.source === 'moodle' ? 'section' : 'module'}` : `all ${c.moduleIds.length} chosen ${rule.source === 'moodle' ? 'sections' : 'modules'}`} in ${lms}`;
    case 'module-requirements':
      return `Meet every requirement of ${c.moduleIds.length === 1 ? 'the chosen module' : `the ${c.moduleIds.length} chosen modules`} in ${lms}`;
    case 'course-complete':
      return `Complete the course in ${lms}`;
    case 'min-grade':
      return c.items.map((item) => `${item.name}: at least ${item.minimum} of ${item.maximum}`).join('; ');
  }
}

function describeKind(kind: LmsCriterion['kind']): string {
  return { 'activities-complete': 'activities complete', 'modules-complete': 'modules complete', 'module-requirements': 'all requirements of modules', 'course-complete': 'course complete', 'min-grade': 'minimum grade' }[kind];
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function bad(field: string, message: string): { ok: false; problem: LmsRuleProblem } {
  return { ok: false, problem: { field, message } };
}

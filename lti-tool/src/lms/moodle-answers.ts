/**
 * The parts of Moodle web-service answers the watcher reads, checked against the documented
 * return structures (core_webservice_get_site_info, core_course_get_contents,
 * core_enrol_get_enrolled_users, core_completion_get_*_completion_status,
 * gradereport_user_get_grade_items). Anything else is LMS_BAD_RESPONSE naming the function:
 * a proxy page or another product on the same URL must never read as "no progress".
 */
import { LmsError } from './lms-source.ts';

type Json = Record<string, unknown>;

export interface SiteInfo {
  readonly sitename: string;
  readonly fullname: string;
  readonly functions: readonly string[];
}
export interface MoodleSectionAnswer {
  readonly id: string;
  readonly name: string;
  readonly modules: readonly { readonly id: string; readonly name: string; readonly modname: string; readonly completion: number }[];
}
export interface MoodleUserAnswer {
  readonly id: string;
  readonly fullname: string;
  readonly email: string | undefined;
  readonly roles: readonly string[];
}
export interface MoodleGradeItemAnswer {
  readonly id: string;
  readonly itemname: string;
  readonly itemtype: string;
  readonly grademax: number;
  readonly graderaw: number | null;
}

function bad(wsfunction: string, what: string): LmsError {
  return new LmsError('LMS_BAD_RESPONSE', `Moodle's answer to ${wsfunction} is not what Moodle documents (${what}).`);
}

function object(value: unknown, wsfunction: string, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(wsfunction, `${what} is not an object`);
  return value as Json;
}

function list(value: unknown, wsfunction: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw bad(wsfunction, `${what} is not a list`);
  return value;
}

function id(value: unknown, wsfunction: string, what: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(wsfunction, `${what} is not an id`);
  return String(value);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function parseSiteInfo(value: unknown): SiteInfo {
  const fn = 'core_webservice_get_site_info';
  const info = object(value, fn, 'the answer');
  const functions = list(info.functions, fn, 'functions').map((f) => text(object(f, fn, 'a function').name));
  return { sitename: text(info.sitename), fullname: text(info.fullname), functions };
}

export function parseSections(value: unknown): MoodleSectionAnswer[] {
  const fn = 'core_course_get_contents';
  return list(value, fn, 'the answer').map((s) => {
    const section = object(s, fn, 'a section');
    return {
      id: id(section.id, fn, 'section id'),
      name: text(section.name),
      modules: list(section.modules ?? [], fn, 'modules').map((m) => {
        const module = object(m, fn, 'a module');
        return { id: id(module.id, fn, 'module id'), name: text(module.name), modname: text(module.modname), completion: typeof module.completion === 'number' ? module.completion : 0 };
      }),
    };
  });
}

export function parseUsers(value: unknown): MoodleUserAnswer[] {
  const fn = 'core_enrol_get_enrolled_users';
  return list(value, fn, 'the answer').map((u) => {
    const user = object(u, fn, 'a user');
    const roles = list(user.roles ?? [], fn, 'roles').map((r) => text(object(r, fn, 'a role').shortname));
    return { id: id(user.id, fn, 'user id'), fullname: text(user.fullname), email: typeof user.email === 'string' && user.email !== '' ? user.email : undefined, roles };
  });
}

/** Course module ids the learner completed: state 1 (complete) or 2 (complete, pass); 3 is "complete, fail". */
export function parseCompletedActivities(value: unknown): Set<string> {
  const fn = 'core_completion_get_activities_completion_status';
  const statuses = list(object(value, fn, 'the answer').statuses, fn, 'statuses');
  const done = new Set<string>();
  for (const s of statuses) {
    const status = object(s, fn, 'a status');
    if (status.state === 1 || status.state === 2) done.add(id(status.cmid, fn, 'cmid'));
  }
  return done;
}

export function parseCourseCompleted(value: unknown): boolean {
  const fn = 'core_completion_get_course_completion_status';
  const status = object(object(value, fn, 'the answer').completionstatus, fn, 'completionstatus');
  if (typeof status.completed !== 'boolean') throw bad(fn, 'completed is not true or false');
  return status.completed;
}

/** userId → that learner's grade items (course totals and categories included; callers pick). */
export function parseUserGrades(value: unknown): Map<string, MoodleGradeItemAnswer[]> {
  const fn = 'gradereport_user_get_grade_items';
  const out = new Map<string, MoodleGradeItemAnswer[]>();
  for (const g of list(object(value, fn, 'the answer').usergrades, fn, 'usergrades')) {
    const usergrade = object(g, fn, 'a user grade');
    const items = list(usergrade.gradeitems, fn, 'gradeitems').map((i) => {
      const item = object(i, fn, 'a grade item');
      return {
        id: id(item.id, fn, 'grade item id'),
        itemname: text(item.itemname),
        itemtype: text(item.itemtype),
        grademax: typeof item.grademax === 'number' ? item.grademax : 0,
        graderaw: typeof item.graderaw === 'number' && Number.isFinite(item.graderaw) ? item.graderaw : null,
      };
    });
    out.set(id(usergrade.userid, fn, 'userid'), items);
  }
  return out;
}

/**
 * LmsSource over Moodle web services (REST, a permanent token of a dedicated web-service user):
 * the connection check, a course's outline, its learners and their progress.
 *
 * - Sections are the "modules" of a rule; a section counts complete when every activity in it with
 *   completion tracking is complete for the learner (a section without tracked activities never
 *   does). Activity complete = state 1 (complete) or 2 (complete, pass); 3 (complete, fail) is not.
 * - Grades come from one gradereport_user_get_grade_items(courseid, userid=0) call per course;
 *   graderaw null = no grade.
 * - Whether a course has course completion (outline.courseCompletion): no function of the six
 *   reads the course settings, so the outline asks core_completion_get_course_completion_status
 *   for the first enrolled student. Moodle checks "completion enabled", then "user tracked", then
 *   "criteria set", so the answer is false only when Moodle says so (nocriteriaset, or
 *   cannotviewreport: completion off in the course, or report/completion:view missing) and true
 *   otherwise, including a course without students yet: a wrong true costs nothing (progress
 *   reports courseComplete undefined, never complete) while a wrong false would hide the option.
 */
import { mapLimit, LMS_DEFAULTS } from './lms-http.ts';
import { LmsError, type ConnectionCheck, type CourseOutline, type LearnerGrade, type LearnerProgress, type LmsHttpOptions, type LmsLearner, type LmsSource, type ProgressNeeds } from './lms-source.ts';
import { parseCompletedActivities, parseCourseCompleted, parseSections, parseSiteInfo, parseUserGrades, parseUsers, type MoodleSectionAnswer, type MoodleUserAnswer } from './moodle-answers.ts';
import { createMoodleWs, type MoodleWs } from './moodle-ws.ts';

/** What the token's external service must allow (named on the admin page when missing). */
export const MOODLE_REQUIRED_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_course_get_contents',
  'core_enrol_get_enrolled_users',
  'core_completion_get_activities_completion_status',
  'core_completion_get_course_completion_status',
  'gradereport_user_get_grade_items',
] as const;

export interface MoodleSourceOptions {
  /** The Moodle wwwroot, e.g. https://moodle.example.edu (no trailing slash needed). */
  readonly siteUrl: string;
  readonly token: string;
  readonly http?: LmsHttpOptions | undefined;
  readonly limits?: { readonly maxLearners?: number; readonly pageSize?: number } | undefined;
}

const DEFAULT_MAX_LEARNERS = 10_000;
const DEFAULT_PAGE_SIZE = 500;
const STUDENT = 'student';

export function createMoodleSource(options: MoodleSourceOptions): LmsSource {
  const http = options.http ?? {};
  const ws = createMoodleWs(options.siteUrl, options.token, http);
  const maxLearners = options.limits?.maxLearners ?? DEFAULT_MAX_LEARNERS;
  const pageSize = options.limits?.pageSize ?? DEFAULT_PAGE_SIZE;
  const concurrency = http.concurrency ?? LMS_DEFAULTS.concurrency;
  let ownUserId: Promise<string> | undefined;
  const tokenUser = () =>
    (ownUserId ??= ws.call('core_webservice_get_site_info').then((info) => {
      const userid = (info as { userid?: unknown } | null)?.userid;
      if (typeof userid !== 'number') throw new LmsError('LMS_BAD_RESPONSE', "Moodle's site information names no user id.");
      return String(userid);
    }));

  const students = (courseId: string) => enrolledStudents(ws, courseId, maxLearners, pageSize);

  return {
    kind: 'moodle',
    check: () => checkMoodle(ws),
    async outline(courseId): Promise<CourseOutline> {
      const sections = parseSections(await ws.call('core_course_get_contents', { courseid: courseId }));
      const grades = parseUserGrades(await ws.call('gradereport_user_get_grade_items', { courseid: courseId, userid: await tokenUser() }));
      const items = [...grades.values()][0] ?? [];
      return {
        courseId,
        modules: sections.map((section) => ({
          id: section.id,
          name: section.name,
          activities: section.modules.map((m) => ({ id: m.id, name: m.name, type: m.modname, tracked: m.completion > 0 })),
        })),
        gradeItems: items.filter((item) => item.itemtype === 'mod' || item.itemtype === 'manual').map((item) => ({ id: item.id, name: item.itemname, maximum: item.grademax })),
        courseCompletion: await hasCourseCompletion(ws, courseId, (await enrolledPage(ws, courseId, 0, pageSize)).find((user) => user.roles.includes(STUDENT))),
      };
    },
    async learners(courseId) {
      return (await students(courseId)).map((user): LmsLearner => ({ lmsUserId: user.id, ltiUserId: user.id, name: user.fullname, email: user.email }));
    },
    async progress(courseId, learners, needs) {
      const sections = needs.modules ? parseSections(await ws.call('core_course_get_contents', { courseid: courseId })) : [];
      const grades = needs.gradeItemIds.length > 0 ? parseUserGrades(await ws.call('gradereport_user_get_grade_items', { courseid: courseId, userid: 0 })) : undefined;
      const progress = await mapLimit(learners, concurrency, async (learner): Promise<LearnerProgress> => {
        const completed = needs.activities || needs.modules ? parseCompletedActivities(await ws.call('core_completion_get_activities_completion_status', { courseid: courseId, userid: learner.lmsUserId })) : new Set<string>();
        const modules = completeSections(sections, completed);
        return {
          completedActivities: needs.activities ? completed : new Set(),
          completedModules: modules,
          modulesWithAllRequirements: modules,
          courseComplete: needs.course ? await courseComplete(ws, courseId, learner.lmsUserId) : undefined,
          grades: gradesOf(grades?.get(learner.lmsUserId) ?? [], needs),
        };
      });
      return new Map(learners.map((learner, index) => [learner.lmsUserId, progress[index]!]));
    },
  };
}

async function checkMoodle(ws: MoodleWs): Promise<ConnectionCheck> {
  let value: unknown;
  try {
    value = await ws.call('core_webservice_get_site_info');
  } catch (error) {
    // Unreachable sites and foreign answers stay errors; a refused token is a check result.
    if (!(error instanceof LmsError) || (error.code !== 'LMS_TOKEN_INVALID' && error.code !== 'LMS_FUNCTION_NOT_ALLOWED')) throw error;
    return { ok: false, missing: error.details.missing ?? [], message: error.message };
  }
  const info = parseSiteInfo(value);
  const actingAs = `${info.fullname} on ${info.sitename}`;
  const missing = MOODLE_REQUIRED_FUNCTIONS.filter((fn) => !info.functions.includes(fn));
  if (missing.length === 0) return { ok: true, actingAs, missing, message: `Connected to Moodle as ${actingAs}; the token's service allows every function the watcher needs.` };
  return {
    ok: false,
    actingAs,
    missing,
    message: `The token works (${actingAs}) but its external service lacks ${missing.join(', ')}. Add them in Site administration → Server → Web services → External services → Functions.`,
  };
}

/** Enrolled users with the student role, read page by page (limitfrom/limitnumber), never more than maxLearners. */
async function enrolledStudents(ws: MoodleWs, courseId: string, maxLearners: number, pageSize: number): Promise<MoodleUserAnswer[]> {
  const found: MoodleUserAnswer[] = [];
  // Teachers and other roles share the pages; a course with more of them than learners is still bounded.
  const maxRead = maxLearners * 2;
  for (let from = 0; ; from += pageSize) {
    const page = await enrolledPage(ws, courseId, from, pageSize);
    found.push(...page.filter((user) => user.roles.includes(STUDENT)));
    if (found.length > maxLearners || from + page.length > maxRead) {
      throw new LmsError('LMS_BAD_RESPONSE', `Moodle course ${courseId} has more than ${maxLearners} learners; the watcher reads at most ${maxLearners} per course.`);
    }
    if (page.length < pageSize) return found;
  }
}

async function enrolledPage(ws: MoodleWs, courseId: string, from: number, pageSize: number): Promise<MoodleUserAnswer[]> {
  const options = [
    { name: 'limitfrom', value: String(from) },
    { name: 'limitnumber', value: String(pageSize) },
    { name: 'userfields', value: 'id,fullname,email,roles' },
  ];
  const page = parseUsers(await ws.call('core_enrol_get_enrolled_users', { courseid: courseId, options }));
  if (page.length > pageSize) throw new LmsError('LMS_BAD_RESPONSE', `Moodle sent ${page.length} users for a page of ${pageSize}: it ignores limitnumber.`);
  return page;
}

async function hasCourseCompletion(ws: MoodleWs, courseId: string, student: MoodleUserAnswer | undefined): Promise<boolean> {
  if (!student) return true;
  const answer = await ws.tryCall('core_completion_get_course_completion_status', { courseid: courseId, userid: student.id }, ['nocriteriaset', 'cannotviewreport', 'usernotenroled']);
  return answer.ok || answer.errorcode === 'usernotenroled';
}

async function courseComplete(ws: MoodleWs, courseId: string, userId: string): Promise<boolean | undefined> {
  const answer = await ws.tryCall('core_completion_get_course_completion_status', { courseid: courseId, userid: userId }, ['nocriteriaset', 'usernotenroled', 'cannotviewreport']);
  if (answer.ok) return parseCourseCompleted(answer.value);
  if (answer.errorcode === 'cannotviewreport') {
    throw new LmsError('LMS_NO_PERMISSION', `Moodle will not show course completion in course ${courseId}: completion tracking is off in the course, or the token's user lacks report/completion:view.`);
  }
  // No criteria in the course, or the learner is not tracked there (any more): not complete, not an error.
  return undefined;
}

function completeSections(sections: readonly MoodleSectionAnswer[], completed: ReadonlySet<string>): Set<string> {
  const done = new Set<string>();
  for (const section of sections) {
    const tracked = section.modules.filter((m) => m.completion > 0);
    if (tracked.length > 0 && tracked.every((m) => completed.has(m.id))) done.add(section.id);
  }
  return done;
}

function gradesOf(items: readonly { id: string; grademax: number; graderaw: number | null }[], needs: ProgressNeeds): Map<string, LearnerGrade> {
  const grades = new Map<string, LearnerGrade>();
  for (const item of items) {
    if (item.graderaw !== null && needs.gradeItemIds.includes(item.id)) grades.set(item.id, { score: item.graderaw, maximum: item.grademax });
  }
  return grades;
}

/** The Moodle LmsSource against the simulated Moodle web services over real HTTP. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LmsError, type LmsHttpOptions } from '../../../lti-tool/src/lms/lms-source.ts';
import { createMoodleSource, MOODLE_REQUIRED_FUNCTIONS } from '../../../lti-tool/src/lms/moodle-source.ts';
import { startPlatform, type MoodleSim, type SimCourse, type SimPlatform, type SimUser } from '../../platform-sim/index.ts';

let sim: SimPlatform;
let moodle: MoodleSim;
let course: SimCourse;
let learners: SimUser[];
let teacher: SimUser;
let token: string;
let ids: { week1: string; week2: string; quiz: string; essay: string; reading: string; page: string; quizGrade: string; manualGrade: string; ltiCmid: string; ltiGrade: string; ltiActivity: string };
const fastSleeps: number[] = [];
const http: LmsHttpOptions = { sleep: async (ms) => void fastSleeps.push(ms) };
const source = (options: { token?: string; http?: LmsHttpOptions; limits?: { maxLearners?: number; pageSize?: number } } = {}) =>
  createMoodleSource({ siteUrl: sim.baseUrl, token: options.token ?? token, http: options.http ?? http, limits: options.limits });
const NO_NEEDS = { activities: false, modules: false, course: false, gradeItemIds: [] as string[] };

beforeAll(async () => {
  sim = await startPlatform({ flavour: 'moodle' });
  moodle = sim.moodle!;
  moodle.siteName = 'Example University';
  const { clientId } = sim.registerToolManually({ loginUrl: 'http://127.0.0.1:1/login', redirectUris: ['http://127.0.0.1:1/launch'], jwksUrl: 'http://127.0.0.1:1/jwks', targetLinkUri: 'http://127.0.0.1:1/launch' });
  course = sim.addCourse({ title: 'Data Literacy 101' });
  teacher = sim.addUser({ name: 'Tina Teacher' });
  sim.enrol(course.id, teacher.id, 'Instructor');
  learners = ['Maria Schneider', 'Ali Khan', 'Chen Wei', 'Dana Scully', 'Eve Adams'].map((name) => sim.addUser({ name }));
  for (const learner of learners) sim.enrol(course.id, learner.id, 'Learner');
  const week1 = moodle.addSection(course.id, { name: 'Week 1' });
  const week2 = moodle.addSection(course.id, { name: 'Week 2' });
  const quiz = moodle.addModule(course.id, { name: 'Quiz 1', sectionId: week1.id, grade: { grademax: 10 } });
  const essay = moodle.addModule(course.id, { name: 'Essay', modname: 'assign', sectionId: week1.id, completion: 1 });
  const page = moodle.addModule(course.id, { name: 'Welcome', modname: 'page', sectionId: week1.id, completion: 0 });
  const reading = moodle.addModule(course.id, { name: 'Reading', modname: 'page', sectionId: week2.id, completion: 1 });
  const manual = moodle.addGradeItem(course.id, { name: 'Participation', grademax: 20 });
  const activity = sim.addActivity(course.id, { title: 'Badge quest', clientId });
  ids = { week1: week1.id, week2: week2.id, quiz: quiz.cmid, essay: essay.cmid, reading: reading.cmid, page: page.cmid, quizGrade: quiz.gradeItemId!, manualGrade: manual.id, ltiCmid: moodle.moduleOf(activity.id).cmid, ltiGrade: sim.activity(activity.id).lineItemId!, ltiActivity: activity.id };
  token = moodle.issueToken();
});

afterAll(async () => {
  await sim.close();
});

describe('check()', () => {
  test('when the token service allows all six functions, then ok, acting as "<fullname> on <sitename>"', async () => {
    const check = await source().check();
    expect(check).toMatchObject({ ok: true, missing: [], actingAs: 'Web service on Example University' });
  });

  test('when the service lacks functions, then the check names exactly those', async () => {
    const partial = moodle.issueToken({ functions: ['core_webservice_get_site_info', 'core_course_get_contents', 'core_enrol_get_enrolled_users'] });
    const check = await source({ token: partial }).check();
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual(MOODLE_REQUIRED_FUNCTIONS.slice(3));
    expect(check.message).toContain('gradereport_user_get_grade_items');
  });

  test('when the service lacks get_site_info itself, then that function is named missing', async () => {
    const check = await source({ token: moodle.issueToken({ functions: ['core_course_get_contents'] }) }).check();
    expect(check).toMatchObject({ ok: false, missing: ['core_webservice_get_site_info'] });
  });

  test('when the token was deleted in Moodle, then not ok and nothing missing (the token itself is wrong)', async () => {
    const revoked = moodle.issueToken();
    moodle.revokeToken(revoked);
    const check = await source({ token: revoked }).check();
    expect(check).toMatchObject({ ok: false, missing: [] });
    expect(check.message).toContain('Invalid token');
  });
});

describe('outline()', () => {
  test('then sections are modules with their course modules, tracked = completion on; grade items without the course total', async () => {
    const outline = await source().outline(course.id);
    expect(outline.modules.map((m) => m.name)).toEqual(['General', 'Week 1', 'Week 2']);
    const week1 = outline.modules.find((m) => m.id === ids.week1)!;
    expect(week1.activities).toEqual([
      { id: ids.quiz, name: 'Quiz 1', type: 'quiz', tracked: true },
      { id: ids.essay, name: 'Essay', type: 'assign', tracked: true },
      { id: ids.page, name: 'Welcome', type: 'page', tracked: false },
    ]);
    expect(outline.modules[0]!.activities).toEqual([{ id: ids.ltiCmid, name: 'Badge quest', type: 'lti', tracked: false }]);
    expect(outline.gradeItems).toEqual([
      { id: ids.quizGrade, name: 'Quiz 1', maximum: 10 },
      { id: ids.manualGrade, name: 'Participation', maximum: 20 },
      { id: ids.ltiGrade, name: 'Badge quest', maximum: 100 },
    ]);
  });

  test('when the course has no completion criteria, then courseCompletion is false; with criteria, true', async () => {
    const other = sim.addCourse({ title: 'Other' });
    sim.enrol(other.id, learners[0]!.id, 'Learner');
    expect((await source().outline(other.id)).courseCompletion).toBe(false);
    moodle.enableCourseCompletion(other.id, { criteria: [{ type: 'self' }] });
    expect((await source().outline(other.id)).courseCompletion).toBe(true);
    moodle.setCompletionTracking(other.id, false);
    expect((await source().outline(other.id)).courseCompletion).toBe(false);
  });

  test('when the course does not exist, then LMS_NOT_FOUND', async () => {
    await expect(source().outline('99999')).rejects.toMatchObject({ code: 'LMS_NOT_FOUND' });
  });
});

describe('learners()', () => {
  test('when the enrolment spans several pages, then every student is read once and teachers are left out', async () => {
    const before = moodle.calls().length;
    const found = await source({ limits: { pageSize: 2 } }).learners(course.id);
    expect(found.map((l) => l.lmsUserId)).toEqual(learners.map((l) => l.id));
    expect(found[0]).toEqual({ lmsUserId: learners[0]!.id, ltiUserId: learners[0]!.id, name: 'Maria Schneider', email: learners[0]!.email });
    // 6 users (1 teacher + 5 learners) in pages of 2: 3 full pages and an empty one.
    expect(moodle.calls().slice(before).filter((c) => c.wsfunction === 'core_enrol_get_enrolled_users')).toHaveLength(4);
  });

  test('when the course has more learners than the limit, then a clear LmsError instead of a partial list', async () => {
    const error = await source({ limits: { maxLearners: 3, pageSize: 2 } }).learners(course.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect(error).toMatchObject({ code: 'LMS_BAD_RESPONSE', message: expect.stringContaining('more than 3 learners') });
  });

  test('when the token user may not see identities, then no email (and no invented one)', async () => {
    const restricted = moodle.issueToken({ capabilities: ['webservice/rest:use', 'moodle/course:view', 'moodle/course:viewparticipants', 'moodle/user:viewdetails'] });
    const found = await source({ token: restricted }).learners(course.id);
    expect(found).toHaveLength(5);
    expect(found.every((l) => l.email === undefined)).toBe(true);
  });
});

describe('progress()', () => {
  const [maria, ali, chen] = [0, 1, 2];
  beforeAll(() => {
    moodle.setCompletion(ids.quiz, learners[maria]!.id, 2);
    moodle.setCompletion(ids.essay, learners[maria]!.id, 1);
    moodle.setCompletion(ids.reading, learners[maria]!.id, 1);
    moodle.setCompletion(ids.quiz, learners[ali]!.id, 3);
    moodle.setCompletion(ids.essay, learners[ali]!.id, 1);
    moodle.setCompletion(ids.quiz, learners[chen]!.id, 1);
    moodle.setGrade(ids.quizGrade, learners[maria]!.id, 8.5);
    moodle.setGrade(ids.manualGrade, learners[maria]!.id, null);
    sim.gradebook.setScore(ids.ltiActivity, learners[ali]!.id, 7, 10);
  });

  const learnersOf = (indexes: number[]) => indexes.map((i) => ({ lmsUserId: learners[i]!.id, name: learners[i]!.name }));

  test('activities: complete and complete-pass count, complete-fail does not', async () => {
    const progress = await source().progress(course.id, learnersOf([maria, ali, chen]), { ...NO_NEEDS, activities: true });
    expect([...progress.get(learners[maria]!.id)!.completedActivities].sort()).toEqual([ids.quiz, ids.essay, ids.reading].sort());
    expect([...progress.get(learners[ali]!.id)!.completedActivities]).toEqual([ids.essay]);
    expect([...progress.get(learners[chen]!.id)!.completedActivities]).toEqual([ids.quiz]);
  });

  test('modules: a section is complete when all its tracked activities are (untracked ones do not count)', async () => {
    const progress = await source().progress(course.id, learnersOf([maria, ali, chen]), { ...NO_NEEDS, modules: true });
    expect([...progress.get(learners[maria]!.id)!.completedModules].sort()).toEqual([ids.week1, ids.week2].sort());
    expect(progress.get(learners[maria]!.id)!.modulesWithAllRequirements).toEqual(progress.get(learners[maria]!.id)!.completedModules);
    expect([...progress.get(learners[ali]!.id)!.completedModules]).toEqual([]);
    // General holds only the untracked LTI module: never complete.
    expect(progress.get(learners[chen]!.id)!.completedModules.size).toBe(0);
  });

  test('course: marked complete → true, not yet → false; no criteria → undefined', async () => {
    moodle.enableCourseCompletion(course.id, { criteria: [{ type: 'activity', cmid: ids.essay }, { type: 'activity', cmid: ids.reading }] });
    const progress = await source().progress(course.id, learnersOf([maria, ali]), { ...NO_NEEDS, course: true });
    expect(progress.get(learners[maria]!.id)!.courseComplete).toBe(true);
    expect(progress.get(learners[ali]!.id)!.courseComplete).toBe(false);
    const other = sim.addCourse({ title: 'No criteria' });
    sim.enrol(other.id, learners[maria]!.id, 'Learner');
    const none = await source().progress(other.id, learnersOf([maria]), { ...NO_NEEDS, course: true });
    expect(none.get(learners[maria]!.id)!.courseComplete).toBeUndefined();
  });

  test('course: when the token user lacks report/completion:view, then LMS_NO_PERMISSION, not "incomplete"', async () => {
    const restricted = moodle.issueToken({ capabilities: ['webservice/rest:use', 'moodle/course:view', 'report/progress:view'] });
    await expect(source({ token: restricted }).progress(course.id, learnersOf([maria]), { ...NO_NEEDS, course: true })).rejects.toMatchObject({ code: 'LMS_NO_PERMISSION' });
  });

  test('grades: one grade report per course; graded items only, on their own maximum', async () => {
    const before = moodle.calls().length;
    const progress = await source().progress(course.id, learnersOf([maria, ali]), { ...NO_NEEDS, gradeItemIds: [ids.quizGrade, ids.manualGrade, ids.ltiGrade] });
    expect(progress.get(learners[maria]!.id)!.grades).toEqual(new Map([[ids.quizGrade, { score: 8.5, maximum: 10 }]]));
    // The LTI activity's gradebook column: 7/10 from the teacher is 70 on its 100-point scale.
    expect(progress.get(learners[ali]!.id)!.grades).toEqual(new Map([[ids.ltiGrade, { score: 70, maximum: 100 }]]));
    expect(moodle.calls().slice(before).map((c) => c.wsfunction)).toEqual(['gradereport_user_get_grade_items']);
  });

  test('when nothing is needed, then no web-service call at all', async () => {
    const before = moodle.calls().length;
    await source().progress(course.id, learnersOf([maria]), NO_NEEDS);
    expect(moodle.calls().length).toBe(before);
  });
});

describe('errors', () => {
  test('when the token user lacks a capability, then LMS_NO_PERMISSION with Moodle\'s reason', async () => {
    const restricted = moodle.issueToken({ capabilities: ['webservice/rest:use', 'moodle/course:view'] });
    await expect(source({ token: restricted }).progress(course.id, [{ lmsUserId: learners[0]!.id, name: 'x' }], { ...NO_NEEDS, activities: true })).rejects.toMatchObject({
      code: 'LMS_NO_PERMISSION',
      message: expect.stringContaining('View activity completion reports'),
    });
  });

  test('when a function is not in the service, then LMS_FUNCTION_NOT_ALLOWED naming it', async () => {
    const partial = moodle.issueToken({ functions: ['core_webservice_get_site_info', 'core_course_get_contents'] });
    await expect(source({ token: partial }).learners(course.id)).rejects.toMatchObject({ code: 'LMS_FUNCTION_NOT_ALLOWED', details: { missing: ['core_enrol_get_enrolled_users'] } });
  });

  test('when Moodle answers 503 twice, then the call is retried after backoff and succeeds', async () => {
    fastSleeps.length = 0;
    moodle.failNext(2);
    const found = await source().learners(course.id);
    expect(found).toHaveLength(5);
    expect(fastSleeps).toEqual([1000, 2000]);
  });

  test('when Moodle keeps answering 503, then LMS_UNREACHABLE after the retries', async () => {
    moodle.failNext(4);
    await expect(source({ http: { ...http, retries: 3 } }).learners(course.id)).rejects.toMatchObject({ code: 'LMS_UNREACHABLE', details: { status: 503 } });
  });

  test('when the answer is larger than the byte cap, then LMS_BAD_RESPONSE', async () => {
    await expect(source({ http: { ...http, maxBytes: 200 } }).outline(course.id)).rejects.toMatchObject({ code: 'LMS_BAD_RESPONSE' });
  });

  test('when the site URL is not Moodle, then LMS_BAD_RESPONSE instead of an empty course', async () => {
    await expect(createMoodleSource({ siteUrl: `${sim.baseUrl}/not-moodle`, token, http }).learners(course.id)).rejects.toMatchObject({ code: 'LMS_BAD_RESPONSE' });
  });
});

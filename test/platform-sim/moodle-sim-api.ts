/**
 * `sim.moodle` (moodle flavour): what a test does as a Moodle teacher, learner or admin behind the
 * web services — build sections and course modules with completion tracking, record learners'
 * activity completion, set up and reach course completion, add grade items and grade, issue and
 * revoke web-service tokens, make the next calls fail — and the log of web-service calls.
 */
import type express from 'express';
import type { SimContext } from './context.ts';
import { SimError } from './model.ts';
import { addModule, addSection, ltiModules } from './moodle-course-structure.ts';
import { MOODLE_CAPABILITY_NAMES, MOODLE_WS_FUNCTIONS, MoodleWsState, type CompletionState, type CompletionTracking, type CourseCriterion, type MoodleCapability } from './moodle-ws-model.ts';
import { moodleWsRoutes } from './moodle-ws-routes.ts';
import { addUser } from './people-and-courses.ts';

export interface MoodleSim {
  /** The site's full name (core_webservice_get_site_info sitename). */
  siteName: string;
  /** `<baseUrl>/webservice/rest/server.php`. */
  readonly restUrl: string;
  addSection(courseId: string, section: { name: string; visible?: boolean }): { id: string; number: number };
  /** A course module (default modname quiz, completion 2 = automatic, in section 0); `grade` also adds its grade item. */
  addModule(courseId: string, module: { name: string; modname?: string; sectionId?: string; completion?: CompletionTracking; visible?: boolean; grade?: { grademax: number; grademin?: number } }): { cmid: string; instance: number; gradeItemId: string | undefined };
  /** The course module (modname lti) Moodle shows for an activity added with sim.addActivity. */
  moduleOf(activityId: string): { cmid: string; sectionId: string };
  setTracking(cmid: string, completion: CompletionTracking): void;
  /** The learner's completion state of the module: 0 incomplete, 1 complete, 2 complete-pass, 3 complete-fail. */
  setCompletion(cmid: string, userId: string, state: CompletionState): void;
  /** Course settings → Enable completion tracking (on by default, as in Moodle 4.x). */
  setCompletionTracking(courseId: string, on: boolean): void;
  /** Course completion with these criteria (aggregation all by default). */
  enableCourseCompletion(courseId: string, settings: { criteria: CourseCriterion[]; aggregation?: 'all' | 'any' }): void;
  /** The course is marked complete for the learner (as the completion cron or a teacher's override would). */
  markCourseComplete(courseId: string, userId: string, complete?: boolean): void;
  addGradeItem(courseId: string, item: { name: string; grademax: number; grademin?: number }): { id: string };
  /** A grade in a grade item (null: no grade). */
  setGrade(gradeItemId: string, userId: string, grade: number | null): void;
  /** A permanent token for the user (default: a new "Web service" user) in a service with these functions (default: the six the watcher needs) and these capabilities (default: all it needs). */
  issueToken(options?: { userId?: string; functions?: readonly string[]; capabilities?: readonly MoodleCapability[] }): string;
  revokeToken(token: string): void;
  /** The next `count` requests to server.php answer this HTTP status (default 503) with an HTML page. */
  failNext(count: number, status?: number): void;
  /** Every server.php request, oldest first: the function and `ok`, the Moodle errorcode, or `HTTP <status>`. */
  calls(): readonly { wsfunction: string; outcome: string }[];
}

export const MOODLE_CAPABILITIES = Object.keys(MOODLE_CAPABILITY_NAMES) as MoodleCapability[];

export function createMoodleSim(ctx: SimContext): { api: MoodleSim; routes: express.Router } {
  const moodle = new MoodleWsState();
  const nextId = () => String(ctx.state.next() + 1);
  const course = (courseId: string) => {
    if (!ctx.state.courses.has(courseId)) throw new SimError('SIM_UNKNOWN_COURSE', `No course ${courseId}.`);
  };
  const user = (userId: string) => {
    if (!ctx.state.users.has(userId)) throw new SimError('SIM_UNKNOWN_USER', `No user ${userId}.`);
  };
  const moduleOf = (cmid: string) => {
    ltiModules(ctx, moodle);
    const module = moodle.modules.get(cmid);
    if (!module) throw new SimError('SIM_BAD_INPUT', `No course module ${cmid}.`);
    return module;
  };
  const newGradeItem = (courseId: string, item: { name: string; grademax: number; grademin?: number | undefined }, module?: { cmid: string; modname: string; instance: number }) => {
    const grademin = item.grademin ?? 0;
    if (!(item.grademax > grademin)) throw new SimError('SIM_BAD_INPUT', 'grademax must be above grademin.');
    const id = nextId();
    const record = { id, courseId, itemname: item.name, itemtype: module ? ('mod' as const) : ('manual' as const), itemmodule: module?.modname ?? null, iteminstance: module?.instance ?? null, cmid: module?.cmid, grademin, grademax: item.grademax, grades: new Map<string, number | null>() };
    moodle.gradeItems.set(id, record);
    moodle.gradeItemsByCourse.set(courseId, [...(moodle.gradeItemsByCourse.get(courseId) ?? []), record]);
    return id;
  };

  const api: MoodleSim = {
    get siteName() {
      return moodle.siteName;
    },
    set siteName(name) {
      moodle.siteName = name;
    },
    restUrl: `${ctx.baseUrl()}/webservice/rest/server.php`,
    addSection(courseId, input) {
      course(courseId);
      const section = addSection(moodle, courseId, input);
      return { id: section.id, number: section.number };
    },
    addModule(courseId, input) {
      course(courseId);
      ltiModules(ctx, moodle);
      const module = addModule(moodle, courseId, { id: nextId(), name: input.name, modname: input.modname ?? 'quiz', sectionId: input.sectionId, completion: input.completion ?? 2, visible: input.visible });
      const gradeItemId = input.grade ? newGradeItem(courseId, { name: input.name, ...input.grade }, { cmid: module.id, modname: module.modname, instance: module.instance }) : undefined;
      return { cmid: module.id, instance: module.instance, gradeItemId };
    },
    moduleOf(activityId) {
      ltiModules(ctx, moodle);
      const cmid = moodle.moduleByActivity.get(activityId);
      if (!cmid) throw new SimError('SIM_UNKNOWN_ACTIVITY', `No activity ${activityId}.`);
      return { cmid, sectionId: moodle.modules.get(cmid)!.sectionId };
    },
    setTracking(cmid, completion) {
      moduleOf(cmid).completion = completion;
    },
    setCompletion(cmid, userId, state) {
      moduleOf(cmid);
      user(userId);
      let byUser = moodle.completion.get(cmid);
      if (!byUser) moodle.completion.set(cmid, (byUser = new Map()));
      if (state === 0) byUser.delete(userId);
      else byUser.set(userId, { state, time: Math.floor(ctx.now() / 1000) });
    },
    setCompletionTracking(courseId, on) {
      course(courseId);
      if (on) moodle.completionDisabled.delete(courseId);
      else moodle.completionDisabled.add(courseId);
    },
    enableCourseCompletion(courseId, settings) {
      course(courseId);
      for (const criterion of settings.criteria) if (criterion.type === 'activity') moduleOf(criterion.cmid);
      moodle.completionDisabled.delete(courseId);
      moodle.courseCompletion.set(courseId, { aggregation: settings.aggregation === 'any' ? 2 : 1, criteria: [...settings.criteria], completedAt: moodle.courseCompletion.get(courseId)?.completedAt ?? new Map() });
    },
    markCourseComplete(courseId, userId, complete = true) {
      user(userId);
      const settings = moodle.courseCompletion.get(courseId);
      if (!settings) throw new SimError('SIM_BAD_INPUT', `Course ${courseId} has no course completion criteria.`);
      if (complete) settings.completedAt.set(userId, Math.floor(ctx.now() / 1000));
      else settings.completedAt.delete(userId);
    },
    addGradeItem(courseId, item) {
      course(courseId);
      return { id: newGradeItem(courseId, item) };
    },
    setGrade(gradeItemId, userId, grade) {
      const item = moodle.gradeItems.get(gradeItemId);
      if (!item) throw new SimError('SIM_BAD_INPUT', `No grade item ${gradeItemId}.`);
      user(userId);
      item.grades.set(userId, grade);
    },
    issueToken(options = {}) {
      const userId = options.userId ?? addUser(ctx.state, { name: 'Web service', givenName: 'Web', familyName: 'service' }).id;
      user(userId);
      // Moodle tokens are 32 hex characters.
      const token = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      moodle.tokens.set(token, { token, userId, functions: new Set(options.functions ?? MOODLE_WS_FUNCTIONS), capabilities: new Set(options.capabilities ?? MOODLE_CAPABILITIES), revoked: false });
      return token;
    },
    revokeToken(token) {
      const record = moodle.tokens.get(token);
      if (!record) throw new SimError('SIM_BAD_INPUT', 'No such token.');
      record.revoked = true;
    },
    failNext(count, status = 503) {
      moodle.failNext = { count, status };
    },
    calls: () => [...moodle.log],
  };
  return { api, routes: moodleWsRoutes(ctx, moodle) };
}

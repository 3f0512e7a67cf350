/** createCanvasSource against the simulated Canvas over real HTTP: check, outline, learners, progress, Canvas's errors, throttling, NRPS rlid identity. */
import { afterEach, describe, expect, test } from 'vitest';
import { createCanvasSource, type CanvasSourceOptions } from '../../../lti-tool/src/lms/canvas-source.ts';
import { CANVAS_API_SCOPES } from '../../../lti-tool/src/lms/canvas-scopes.ts';
import { LmsError, type LmsLearner } from '../../../lti-tool/src/lms/lms-source.ts';
import { fetchMemberships, memberLaunchCustom } from '../../../lti-tool/src/lti/nrps-client.ts';
import type { ServiceTokens } from '../../../lti-tool/src/lti/service-token.ts';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import { startPlatform, NRPS_SCOPE, type CanvasSim, type SimCourse, type SimPlatform, type SimUser } from '../../platform-sim/index.ts';
import { accessToken, fixture, type Fixture } from '../../platform-sim-self/fixture.ts';

const START = Date.parse('2026-03-02T10:00:00Z');
let sim: SimPlatform | undefined;
let f: Fixture | undefined;
afterEach(async () => {
  await sim?.close();
  await f?.close();
  sim = undefined;
  f = undefined;
});

interface World {
  sim: SimPlatform;
  canvas: CanvasSim;
  course: SimCourse;
  teacher: SimUser;
  students: SimUser[];
  token: string;
  /** The test's sleep: moves the simulator clock instead of waiting, and records each wait. */
  sleeps: number[];
  source(options?: Partial<CanvasSourceOptions>): ReturnType<typeof createCanvasSource>;
}

async function world(studentCount = 3): Promise<World> {
  let now = START;
  sim = await startPlatform({ flavour: 'canvas', now: () => now });
  const canvas = sim.canvas!;
  const course = sim.addCourse({ title: 'Data Literacy 101' });
  const teacher = sim.addUser({ name: 'Tina Teacher' });
  sim.enrol(course.id, teacher.id, 'Instructor');
  const students = Array.from({ length: studentCount }, (_, i) => {
    const user = sim!.addUser({ name: `Student${String(i).padStart(3, '0')} Learner`, email: `s${i}@example.edu` });
    sim!.enrol(course.id, user.id, 'Learner');
    return user;
  });
  const token = canvas.issueToken(teacher.id);
  const sleeps: number[] = [];
  const platform = sim;
  return {
    sim,
    canvas,
    course,
    teacher,
    students,
    token,
    sleeps,
    source: (options = {}) =>
      createCanvasSource({
        baseUrl: platform.baseUrl,
        accessToken: async () => token,
        ...options,
        http: {
          sleep: async (ms) => {
            sleeps.push(ms);
            now += ms;
          },
          ...options.http,
        },
      }),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof LmsError ? error.code : `not an LmsError: ${String(error)}`;
  }
}

const asLearners = (users: SimUser[]): LmsLearner[] => users.map((u) => ({ lmsUserId: u.id, name: u.name }));
const none = { activities: false, modules: false, course: false, gradeItemIds: [] as string[] };

describe('Canvas source', () => {
  test('check: ok names the token user; a revoked token and a key without a scope are reported, not thrown', async () => {
    const w = await world();
    expect(await w.source().check()).toMatchObject({ ok: true, actingAs: 'Tina Teacher', missing: [] });
    const scoped = w.canvas.issueToken(w.teacher.id, { scopes: [CANVAS_API_SCOPES.self, CANVAS_API_SCOPES.modules, CANVAS_API_SCOPES.users, CANVAS_API_SCOPES.assignments] });
    const partial = await w.source({ accessToken: async () => scoped }).check();
    expect(partial).toMatchObject({ ok: false, actingAs: 'Tina Teacher', missing: [CANVAS_API_SCOPES.submissions] });
    w.canvas.revokeToken(w.token);
    const revoked = await w.source().check();
    expect(revoked.ok).toBe(false);
    expect(revoked.message).toMatch(/no longer accepts the access token/);
  });

  test('errors: 401 with WWW-Authenticate → LMS_TOKEN_INVALID, 401 without → LMS_NO_PERMISSION, insufficient scopes → LMS_FUNCTION_NOT_ALLOWED, 404 → LMS_NOT_FOUND', async () => {
    const w = await world();
    const learnerToken = w.canvas.issueToken(w.students[0]!.id);
    expect(await codeOf(w.source({ accessToken: async () => learnerToken }).learners(w.course.id))).toBe('LMS_NO_PERMISSION');
    expect(await codeOf(w.source().learners('999999'))).toBe('LMS_NOT_FOUND');
    const scoped = w.canvas.issueToken(w.teacher.id, { scopes: [CANVAS_API_SCOPES.self] });
    const denied = await w
      .source({ accessToken: async () => scoped })
      .outline(w.course.id)
      .catch((e: unknown) => e as LmsError);
    expect(denied).toMatchObject({ code: 'LMS_FUNCTION_NOT_ALLOWED', details: { missing: [CANVAS_API_SCOPES.modules] } });
    w.canvas.revokeToken(w.token);
    expect(await codeOf(w.source().learners(w.course.id))).toBe('LMS_TOKEN_INVALID');
  });

  test('outline: modules with their items (tracked = has a completion requirement, sub-headers left out) and point-bearing assignments', async () => {
    const w = await world();
    const essay = w.canvas.addAssignment(w.course.id, { name: 'Essay', pointsPossible: 20 });
    w.canvas.addAssignment(w.course.id, { name: 'Ungraded survey', pointsPossible: 0 });
    const module = w.canvas.addModule(w.course.id, {
      name: 'Week 1',
      items: [{ title: 'Week 1', type: 'SubHeader' }, { title: 'Welcome', type: 'Page' }, { title: 'Essay', assignmentId: essay.id, requirement: { type: 'min_score', minScore: 12 } }],
    });
    const outline = await w.source().outline(w.course.id);
    expect(outline).toEqual({
      courseId: w.course.id,
      modules: [
        {
          id: module.id,
          name: 'Week 1',
          activities: [
            { id: module.items[1]!.id, name: 'Welcome', type: 'Page', tracked: false },
            { id: module.items[2]!.id, name: 'Essay', type: 'Assignment', tracked: true },
          ],
        },
      ],
      gradeItems: [{ id: essay.id, name: 'Essay', maximum: 20 }],
      courseCompletion: false,
    });
  });

  test('learners: students only, with email, every page followed (130 students = 2 pages of 100); the page cap stops an endless list', async () => {
    const w = await world(130);
    const learners = await w.source().learners(w.course.id);
    expect(learners).toHaveLength(130);
    expect(learners.map((l) => l.lmsUserId).sort()).toEqual(w.students.map((s) => s.id).sort());
    expect(learners.find((l) => l.lmsUserId === w.students[7]!.id)).toEqual({ lmsUserId: w.students[7]!.id, ltiUserId: undefined, name: w.students[7]!.name, email: 's7@example.edu' });
    expect(w.canvas.apiLog().filter((e) => e.path.includes('/users?'))).toHaveLength(2);
    expect(await codeOf(w.source({ maxPages: 1 }).learners(w.course.id))).toBe('LMS_BAD_RESPONSE');
  });

  test('progress: completed items, module state, all-requirements modules, and grades from one students/submissions call', async () => {
    const w = await world(3);
    const [ann, ben, cat] = w.students as [SimUser, SimUser, SimUser];
    const quiz = w.canvas.addAssignment(w.course.id, { name: 'Quiz', pointsPossible: 10 });
    const essay = w.canvas.addAssignment(w.course.id, { name: 'Essay', pointsPossible: 20 });
    const all = w.canvas.addModule(w.course.id, { name: 'All', items: [{ title: 'Read', requirement: { type: 'must_view' } }, { title: 'Quiz', assignmentId: quiz.id, requirement: { type: 'min_score', minScore: 6 } }] });
    const any = w.canvas.addModule(w.course.id, { name: 'Any', requirementCount: 1, items: [{ title: 'A', requirement: { type: 'must_mark_done' } }, { title: 'B', requirement: { type: 'must_mark_done' } }] });
    w.canvas.completeRequirement(all.items[0]!.id, ann.id);
    w.canvas.setScore(quiz.id, ann.id, 8);
    w.canvas.completeRequirement(any.items[0]!.id, ann.id);
    w.canvas.completeRequirement(any.items[1]!.id, ben.id);
    w.canvas.setScore(essay.id, ben.id, 15);
    w.canvas.setScore(quiz.id, cat.id, null, { excused: true });

    const progress = await w.source().progress(w.course.id, asLearners([ann, ben, cat]), { activities: true, modules: true, course: false, gradeItemIds: [quiz.id, essay.id] });
    const a = progress.get(ann.id)!;
    expect([...a.completedActivities].sort()).toEqual([all.items[0]!.id, all.items[1]!.id, any.items[0]!.id].sort());
    expect([...a.completedModules].sort()).toEqual([all.id, any.id].sort());
    // requirement_count 1: "Any" is completed, yet not every requirement of it is met.
    expect([...a.modulesWithAllRequirements]).toEqual([all.id]);
    expect(a.grades.get(quiz.id)).toEqual({ score: 8, maximum: 10 });
    expect(a.grades.has(essay.id)).toBe(false);
    const b = progress.get(ben.id)!;
    expect([...b.completedModules]).toEqual([any.id]);
    expect(b.grades.get(essay.id)).toEqual({ score: 15, maximum: 20 });
    expect(progress.get(cat.id)!.grades.size).toBe(0);
    const log = w.canvas.apiLog();
    expect(log.filter((e) => e.path.includes('/students/submissions'))).toHaveLength(1);
    expect(log.filter((e) => e.path.includes('/modules?'))).toHaveLength(3);

    const gradesOnly = await w.source().progress(w.course.id, asLearners([ann]), { ...none, gradeItemIds: [quiz.id] });
    expect(gradesOnly.get(ann.id)!.grades.get(quiz.id)).toEqual({ score: 8, maximum: 10 });
    expect(w.canvas.apiLog().filter((e) => e.path.includes('/modules?'))).toHaveLength(3);
  });

  test('throttled: 403 Rate Limit Exceeded is retried after a pause; 503 too', async () => {
    const w = await world();
    w.canvas.setRemaining(w.token, 0);
    expect(await w.source().learners(w.course.id)).toHaveLength(3);
    expect(w.canvas.apiLog().map((e) => e.status)).toEqual([403, 200]);
    w.canvas.failNext(2);
    expect(await w.source().learners(w.course.id)).toHaveLength(3);
    expect(w.canvas.apiLog().map((e) => e.status)).toEqual([403, 200, 503, 503, 200]);
    w.canvas.failNext(10);
    expect(await codeOf(w.source({ http: { retries: 1 } }).learners(w.course.id))).toBe('LMS_UNREACHABLE');
  });

  test.each([
    ['slows down when X-Rate-Limit-Remaining runs low: no request is throttled', 4, false],
    ['without the slow-down (low = 0) the same cycle runs into 403s', 0, true],
  ])('%s', async (_title, low, throttled) => {
    const w = await world(12);
    w.canvas.throttle({ capacity: 10, leakPerSecond: 1, requestCost: 1 });
    const progress = await w.source({ http: { concurrency: 1 }, rateLimit: { low, refillPerSecond: 1 } }).progress(w.course.id, asLearners(w.students), { ...none, modules: true });
    expect(progress.size).toBe(12);
    const log = w.canvas.apiLog();
    expect(log.some((e) => e.status === 403)).toBe(throttled);
    if (!throttled) {
      // The quota went low, then came back before the next request: the tool waited for it.
      expect(Math.min(...log.map((e) => e.remaining ?? 10))).toBeGreaterThanOrEqual(low - 1);
      expect(w.sleeps.length).toBeGreaterThan(0);
    }
  });

  test('NRPS with rlid: each member message carries canvas_user_id, mapping Canvas ids to LTI subs', async () => {
    f = await fixture('canvas');
    const link = f.sim.addActivity(f.course.id, { title: 'Badge link', clientId: f.clientId, custom: { canvas_user_id: '$Canvas.user.id', canvas_course_id: '$Canvas.course.id' } });
    const token = await accessToken(f, NRPS_SCOPE);
    const platform = { id: 'p1', name: 'Simulated Canvas', issuer: f.sim.issuer, clientId: f.clientId } as PlatformRecord;
    // The tool's token cache, holding a token the simulator really issued.
    const tokens = { token: async () => token, forget: async () => {} } as unknown as ServiceTokens;
    const roster = await fetchMemberships(platform, { http: { fetch: (url, init) => fetch(url, init) }, tokens }, f.sim.urls.memberships(f.course.id, f.clientId), { rlid: link.resourceLinkId });
    const learner = roster.members.find((m) => m.user_id === f!.learner.ltiId)!;
    expect(memberLaunchCustom(learner)).toEqual({ canvas_user_id: f.learner.id, canvas_course_id: f.course.id });
    const plain = await fetchMemberships(platform, { http: { fetch: (url, init) => fetch(url, init) }, tokens }, f.sim.urls.memberships(f.course.id, f.clientId));
    expect(memberLaunchCustom(plain.members[0]!)).toBeUndefined();
  });
});

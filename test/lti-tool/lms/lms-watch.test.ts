import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awardCredential } from '../../../lti-tool/src/issuance/award-engine.ts';
import { saveDefinition } from '../../../lti-tool/src/issuance/definitions.ts';
import { ltiLearnerKey } from '../../../lti-tool/src/issuance/ids.ts';
import { enqueueDueSyncs } from '../../../lti-tool/src/issuance/results-sync.ts';
import { tick } from '../../../lti-tool/src/issuance/sync-scheduler.ts';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import { createLmsConnections } from '../../../lti-tool/src/lms/lms-connections.ts';
import { recordLaunchLink } from '../../../lti-tool/src/lms/lms-identity.ts';
import type { LmsPassRule } from '../../../lti-tool/src/lms/lms-rules.ts';
import { LmsError } from '../../../lti-tool/src/lms/lms-source.ts';
import { watchCourse, type LmsWatchDeps, type ResolveIdentities } from '../../../lti-tool/src/lms/lms-watch-course.ts';
import { enqueueDueWatches, lmsWatchJobKey, runDueWatches, runNextLmsWatch } from '../../../lti-tool/src/lms/lms-watch.ts';
import { retryDelayMs } from '../../../lti-tool/src/store/job-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION, openIssuanceFixture, type IssuanceFixture } from '../issuance/issuance-fixture.ts';
import { createTestLms, registerPlatform, type TestLms } from './lms-watch-fixture.ts';

const secretBox = new SecretBox({ secret: 'lms-watch-test-secret-long-enough-0123456789', source: 'test' });
const learner = (id: string, lti?: string) => ({ lmsUserId: id, ltiUserId: lti, name: `Learner ${id}`, email: `${id}@example.org` });

describe.each(STORE_KINDS)('the LMS watcher (%s)', (kind) => {
  let fx: IssuanceFixture;
  let lms: TestLms;
  let t = 1_000_000;
  const now = () => new Date(t);
  let courses = 0;

  /** A platform connected with a working token, a fresh LMS course on it, and watcher deps. */
  async function connectedCourse(source: 'moodle' | 'canvas', resolveIdentities?: ResolveIdentities) {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    const connections = createLmsConnections({ store: fx.runtime.store, secretBox, now, sources: { moodle: ({ token }) => lms.source('moodle', async () => token), canvas: ({ accessToken }) => lms.source('canvas', accessToken) } });
    const token = `token-${platformId}`;
    lms.tokens.set(token, []);
    expect(await connections.saveToken({ platformId, kind: source, baseUrl: 'https://lms.example', token })).toMatchObject({ ok: true });
    courses += 1;
    const courseId = `c${courses}`;
    const deps: LmsWatchDeps = { ...fx.deps, lms: connections, resolveIdentities };
    const define = async (criterion: LmsPassRule['criterion'], title = 'Watched') => {
      const { id: _id, ...base } = EXAMPLE_DEFINITION;
      const saved = await saveDefinition(fx.runtime.store.definitions, {
        definition: { ...base, title: { en: title } },
        passRule: { kind: 'lms', source, courseId, criterion },
        binding: { platformId, deploymentId: '1', contextId: `ctx-${courseId}` },
        publish: true,
      });
      if (!saved.ok) throw new Error(saved.problems.map((p) => p.message).join(' '));
      return saved.record;
    };
    return { platformId, courseId, token, connections, deps, define };
  }
  const holders = async (definitionId: string) => (await fx.runtime.store.awards.currentForDefinition(definitionId)).map((c) => c.learnerKey).sort();

  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
    lms = createTestLms();
  });
  afterAll(() => fx.close());

  test('when learners complete the chosen activities, then a tick awards them once; the next tick awards nothing twice', async () => {
    const c = await connectedCourse('moodle');
    const def = await c.define({ kind: 'activities-complete', activityIds: ['cm1', 'cm2'] });
    lms.learners.set(c.courseId, [learner('101', '101'), learner('102', '102')]);
    lms.progress.set('101', { completedActivities: new Set(['cm1', 'cm2']) });
    lms.progress.set('102', { completedActivities: new Set(['cm1']) });
    const readCohort = async () => ({ results: [], members: [] });
    const first = await tick(fx.runtime.sync.issuance, { owner: 'a', now, readCohort, lmsWatch: c.deps });
    const mine = first.lmsRuns.find((r) => r.state === 'done' && r.summary.perDefinition.has(def.id));
    expect(mine).toMatchObject({ state: 'done' });
    expect(await holders(def.id)).toEqual([ltiLearnerKey(c.platformId, '101')]);
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ learners: 2, met: 1, awarded: 1, alreadyAwarded: 0, waitingIdentity: 0, error: null });

    lms.progress.set('102', { completedActivities: new Set(['cm1', 'cm2']) });
    t += 60_000;
    await tick(fx.runtime.sync.issuance, { owner: 'b', now, readCohort, lmsWatch: c.deps });
    expect(await holders(def.id)).toEqual([ltiLearnerKey(c.platformId, '101'), ltiLearnerKey(c.platformId, '102')]);
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ met: 2, awarded: 1, alreadyAwarded: 1 });
  });

  test('when two watches of a course run at once, then every learner is awarded exactly once', async () => {
    const c = await connectedCourse('moodle');
    const def = await c.define({ kind: 'course-complete' });
    const learners = Array.from({ length: 12 }, (_, i) => learner(`2${i}`, `2${i}`));
    lms.learners.set(c.courseId, learners);
    for (const l of learners) lms.progress.set(l.lmsUserId, { courseComplete: true });
    const args = { platformId: c.platformId, courseId: c.courseId, definitions: [def], now };
    const [a, b] = await Promise.all([watchCourse(c.deps, args), watchCourse(c.deps, args)]);
    const countsA = a.perDefinition.get(def.id)!;
    const countsB = b.perDefinition.get(def.id)!;
    expect(countsA.awarded + countsB.awarded).toBe(12);
    expect(countsA.awarded + countsA.alreadyAwarded).toBe(12);
    expect(await holders(def.id)).toHaveLength(12);
  });

  test('each criterion kind decides from its own part of the progress; a min-grade credential carries the grades', async () => {
    const c = await connectedCourse('canvas');
    const modules = await c.define({ kind: 'modules-complete', moduleIds: ['m1'] }, 'Modules');
    const requirements = await c.define({ kind: 'module-requirements', moduleIds: ['m1', 'm2'] }, 'Requirements');
    const grade = await c.define({ kind: 'min-grade', items: [{ id: 'a1', name: 'Quiz', minimum: 6, maximum: 10 }] }, 'Grade');
    lms.learners.set(c.courseId, [learner('301'), learner('302')]);
    for (const id of ['301', '302']) await recordLaunchLink(fx.runtime.store, { platformId: c.platformId, userId: `sub-${id}`, claims: { 'https://purl.imsglobal.org/spec/lti/claim/custom': { canvas_user_id: id } } }, now());
    lms.progress.set('301', { completedModules: new Set(['m1']), modulesWithAllRequirements: new Set(['m1']), grades: new Map([['a1', { score: 12, maximum: 20 }]]) });
    lms.progress.set('302', { completedModules: new Set(), modulesWithAllRequirements: new Set(['m1', 'm2']), grades: new Map([['a1', { score: 11, maximum: 20 }]]) });
    const reads = lms.reads.progress;
    await watchCourse(c.deps, { platformId: c.platformId, courseId: c.courseId, definitions: [modules, requirements, grade], now });
    // One read of the course's progress serves all three definitions, with everything they need.
    expect(lms.reads.progress).toBe(reads + 1);
    expect(lms.reads.needs.at(-1)).toEqual({ activities: false, modules: true, course: false, gradeItemIds: ['a1'] });
    const key = (id: string) => ltiLearnerKey(c.platformId, `sub-${id}`);
    expect(await holders(modules.id)).toEqual([key('301')]);
    expect(await holders(requirements.id)).toEqual([key('302')]);
    const graded = await fx.runtime.store.awards.currentForDefinition(grade.id);
    expect(graded.map((g) => g.learnerKey)).toEqual([key('301')]);
    expect(graded[0]!.result).toMatchObject({ criterionMet: true, grade: 'Quiz: 12 / 20' });
  });

  test('when a Canvas learner is not linked yet, then they wait for identity, and are awarded under their LTI key once linked', async () => {
    const resolved = new Map<string, string>();
    const c = await connectedCourse('canvas', async (_p, _c, ids) => new Map(ids.filter((id) => resolved.has(id)).map((id) => [id, resolved.get(id)!])));
    const def = await c.define({ kind: 'activities-complete', activityIds: ['i1'] });
    lms.learners.set(c.courseId, [learner('401'), learner('402')]);
    lms.progress.set('401', { completedActivities: new Set(['i1']) });
    lms.progress.set('402', { completedActivities: new Set(['i1']) });
    const watch = () => watchCourse(c.deps, { platformId: c.platformId, courseId: c.courseId, definitions: [def], now });
    await watch();
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ met: 2, awarded: 0, waitingIdentity: 2 });
    expect(await holders(def.id)).toEqual([]);

    // 401 launches the tool (the custom field links it); 402 is found by the injected resolver (NRPS) and the link is kept.
    await recordLaunchLink(fx.runtime.store, { platformId: c.platformId, userId: 'lti-uuid-401', claims: { 'https://purl.imsglobal.org/spec/lti/claim/custom': { canvas_user_id: '401' } } }, now());
    resolved.set('402', 'lti-uuid-402');
    await watch();
    expect(await holders(def.id)).toEqual([ltiLearnerKey(c.platformId, 'lti-uuid-401'), ltiLearnerKey(c.platformId, 'lti-uuid-402')]);
    expect(await fx.runtime.store.lmsUserLinks.lookup(c.platformId, ['402'])).toEqual(new Map([['402', 'lti-uuid-402']]));
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ awarded: 2, waitingIdentity: 0 });
  });

  test('when the LMS revokes the token, then the job fails with the reason, the admin sees the connection error, and the retry awards everyone once', async () => {
    const c = await connectedCourse('moodle');
    const def = await c.define({ kind: 'course-complete' });
    lms.learners.set(c.courseId, [learner('501', '501')]);
    lms.progress.set('501', { courseComplete: true });
    lms.tokens.delete(c.token);
    t += 1_000_000;
    expect(await enqueueDueWatches(c.deps, now())).toBeGreaterThanOrEqual(1);
    const failed = (await runDueWatches(c.deps, { owner: 'a', now })).find((r) => r.state !== 'idle' && r.job.dedupeKey === lmsWatchJobKey(c.platformId, c.courseId));
    expect(failed).toMatchObject({ state: 'retry', code: 'LMS_TOKEN_INVALID' });
    expect(await c.connections.get(c.platformId)).toMatchObject({ status: 'error', message: expect.stringContaining('token') });
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ error: expect.stringContaining('token') });
    expect((await fx.runtime.store.jobs.latestFor(lmsWatchJobKey(c.platformId, c.courseId)))?.lastError).toContain('token');

    // Nothing runs before the backoff, even when the tick queues again.
    lms.tokens.set(c.token, []);
    await enqueueDueWatches(c.deps, now());
    expect((await runDueWatches(c.deps, { owner: 'a', now })).some((r) => r.state !== 'idle' && r.job.dedupeKey === lmsWatchJobKey(c.platformId, c.courseId))).toBe(false);
    t += retryDelayMs(1);
    await runDueWatches(c.deps, { owner: 'b', now });
    expect(await holders(def.id)).toEqual([ltiLearnerKey(c.platformId, '501')]);
    expect(await c.connections.get(c.platformId)).toMatchObject({ status: 'ok' });
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ awarded: 1, error: null });
  });

  test('when a platform has no LMS connection, then the watch job fails with what the admin must do', async () => {
    const c = await connectedCourse('moodle');
    const def = await c.define({ kind: 'course-complete' });
    await c.connections.remove(c.platformId);
    t += 10_000_000;
    await enqueueDueWatches(c.deps, now());
    let run = await runNextLmsWatch(c.deps, { owner: 'a', now });
    while (run.state !== 'idle' && run.job.dedupeKey !== lmsWatchJobKey(c.platformId, c.courseId)) run = await runNextLmsWatch(c.deps, { owner: 'a', now });
    expect(run).toMatchObject({ state: 'retry', code: 'LMS_NOT_CONNECTED', error: expect.stringContaining('administrator must connect') });
    expect(await fx.runtime.store.lmsWatchOutcomes.get(def.id)).toMatchObject({ error: expect.stringContaining('not connected') });
  });

  test('when the token lacks a permission in one course, then the connection shows it as an error', async () => {
    const c = await connectedCourse('canvas');
    await c.define({ kind: 'modules-complete', moduleIds: ['m9'] });
    lms.failWith = new LmsError('LMS_NO_PERMISSION', 'The token’s user may not see course c-x.');
    try {
      t += 20_000_000;
      await enqueueDueWatches(c.deps, now());
      await runDueWatches(c.deps, { owner: 'a', now });
    } finally {
      lms.failWith = undefined;
    }
    expect(await c.connections.get(c.platformId)).toMatchObject({ status: 'error', message: 'The token’s user may not see course c-x.' });
  });

  test('an LMS rule passes only on the watcher’s word, and the AGS results sync never queues an LMS-watched definition', async () => {
    const c = await connectedCourse('moodle');
    const { id: _id, ...base } = EXAMPLE_DEFINITION;
    const saved = await saveDefinition(fx.runtime.store.definitions, {
      definition: { ...base, title: { en: 'On a line item too' } },
      passRule: { kind: 'lms', source: 'moodle', courseId: c.courseId, criterion: { kind: 'course-complete' } },
      binding: { platformId: c.platformId, deploymentId: '1', contextId: 'ctx', resourceLinkId: 'rl', lineItemId: 'https://lms.example/li/9' },
      publish: true,
    });
    if (!saved.ok) throw new Error('not saved');
    const learnerArgs = { definitionId: saved.record.id, learner: { key: ltiLearnerKey(c.platformId, 'x'), name: 'X' } };
    expect(await awardCredential(fx.deps, { ...learnerArgs, result: { resultScore: 100, resultMaximum: 100 } })).toMatchObject({ ok: false, code: 'NOT_PASSED' });
    expect((await fx.runtime.store.definitions.listSyncable()).map((d) => d.id)).not.toContain(saved.record.id);
    await enqueueDueSyncs(fx.runtime.sync.issuance, now());
    expect(await fx.runtime.store.jobs.latestFor(`ags-sync:${saved.record.id}`)).toBeUndefined();
    expect(await awardCredential(fx.deps, { ...learnerArgs, result: { criterionMet: true } })).toMatchObject({ ok: true, created: true });
  });
});

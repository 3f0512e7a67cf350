import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ltiLearnerKey } from '../../../lti-tool/src/issuance/ids.ts';
import { instructorProgress } from '../../../lti-tool/src/issuance/instructor-view.ts';
import { awardOnCompletionLaunch, enqueueDueSyncs, enqueueResultsSync, runNextResultsSync, syncOnLaunch, type CohortReader } from '../../../lti-tool/src/issuance/results-sync.ts';
import { retryDelayMs } from '../../../lti-tool/src/store/job-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { BINDING, openIssuanceFixture, PLATFORM, type IssuanceFixture } from './issuance-fixture.ts';

const INSTRUCTOR = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];
const members = [
  { userId: 'p1', name: 'Passing One' },
  { userId: 'p2', name: 'Passing Two', email: 'two@example.org' },
  { userId: 'f1', name: 'Failing' },
];
const results = [
  { userId: 'p1', resultScore: 9, resultMaximum: 10 },
  { userId: 'p2', resultScore: 60, resultMaximum: 100 },
  { userId: 'f1', resultScore: 10, resultMaximum: 100 },
];

describe.each(STORE_KINDS)('results sync and completion launches (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('when the platform refuses the first sync, then the error is shown, the job is retried after a backoff, and the passing learners are awarded once', async () => {
    const def = await fx.define({ title: 'Synced' });
    let t = 1_000_000;
    const now = () => new Date(t);
    let calls = 0;
    const readCohort: CohortReader = async () => {
      calls += 1;
      if (calls === 1) throw new Error('The platform refused our access token (HTTP 401).');
      return { results, members };
    };
    expect(await enqueueResultsSync(fx.deps, def.id, now())).toBe(true);
    const deps = fx.deps;
    const failed = await runNextResultsSync(deps, { owner: 'i1', now, readCohort });
    expect(failed).toMatchObject({ state: 'retry', error: 'The platform refused our access token (HTTP 401).' });
    const teacher = { platformId: PLATFORM, deploymentId: BINDING.deploymentId, contextId: BINDING.contextId, userId: 't', roles: INSTRUCTOR };
    const shown = await instructorProgress({ ...fx.deps, jobs: fx.runtime.store.jobs }, teacher, def.id);
    expect(shown.job?.lastError).toContain('HTTP 401');
    expect(await runNextResultsSync(deps, { owner: 'i1', now, readCohort })).toEqual({ state: 'idle' });

    t += retryDelayMs(1);
    const done = await runNextResultsSync(deps, { owner: 'i2', now, readCohort });
    expect(done).toMatchObject({ state: 'done', summary: { awarded: 2, notPassed: 1 } });
    const awarded = await fx.runtime.store.awards.currentForDefinition(def.id);
    expect(awarded.map((c) => c.learnerKey).sort()).toEqual([ltiLearnerKey(PLATFORM, 'p1'), ltiLearnerKey(PLATFORM, 'p2')]);
    expect((await instructorProgress({ ...fx.deps, jobs: fx.runtime.store.jobs }, teacher, def.id)).job).toMatchObject({ state: 'done', done: 2, total: 2, lastError: null });

    // The next scheduled pass finds nothing new to award.
    expect(await enqueueDueSyncs(deps, now())).toBeGreaterThanOrEqual(1);
    let run = await runNextResultsSync(deps, { owner: 'i1', now, readCohort });
    while (run.state === 'done' && run.job.payload && (run.job.payload as { definitionId: string }).definitionId !== def.id) run = await runNextResultsSync(deps, { owner: 'i1', now, readCohort });
    expect(run).toMatchObject({ state: 'done', summary: { awarded: 0, alreadyAwarded: 2 } });
  });

  test('when someone launches in the course, then one sync per credential of the course is queued, however many launches come', async () => {
    const def = await fx.define({ title: 'Launch-synced' });
    const session = { platformId: PLATFORM, deploymentId: BINDING.deploymentId, contextId: BINDING.contextId, userId: 'x', roles: [] };
    const deps = fx.deps;
    const first = await syncOnLaunch(deps, session, new Date(5));
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await syncOnLaunch(deps, session, new Date(6))).toBe(0);
    expect(await fx.runtime.store.jobs.latestFor(`ags-sync:${def.id}`)).toMatchObject({ state: 'pending' });
  });

  test('when a learner launches an activity with a completion rule, then the credential is awarded, once', async () => {
    const def = await fx.define({ title: 'Completion', passRule: { kind: 'completion' } });
    const session = { platformId: PLATFORM, deploymentId: BINDING.deploymentId, contextId: BINDING.contextId, resourceLinkId: BINDING.resourceLinkId, userId: 'c1', roles: [] };
    const first = await awardOnCompletionLaunch(fx.deps, session, { name: 'Completer' });
    const mine = first.find((o) => o.ok && o.credential.definitionId === def.id);
    expect(mine).toMatchObject({ ok: true, created: true });
    const second = await awardOnCompletionLaunch(fx.deps, session, { name: 'Completer' });
    expect(second.find((o) => o.ok && o.credential.definitionId === def.id)).toMatchObject({ ok: true, created: false });
    expect(await awardOnCompletionLaunch(fx.deps, { ...session, resourceLinkId: 'elsewhere' }, { name: 'Completer' })).toEqual([]);
  });
});

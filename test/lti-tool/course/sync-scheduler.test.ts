import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CohortReader } from '../../../lti-tool/src/issuance/results-sync.ts';
import { syncIntervalMs, tick } from '../../../lti-tool/src/issuance/sync-scheduler.ts';
import { memberOf } from '../../../lti-tool/src/issuance/lti-cohort.ts';
import { retryDelayMs } from '../../../lti-tool/src/store/job-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { openIssuanceFixture, type IssuanceFixture } from '../issuance/issuance-fixture.ts';

const members = [
  { userId: 'p1', name: 'Passing One' },
  { userId: 'f1', name: 'Failing One' },
];
const results = [
  { userId: 'p1', resultScore: 80, resultMaximum: 100 },
  { userId: 'f1', resultScore: 20, resultMaximum: 100 },
];

describe.each(STORE_KINDS)('the sync scheduler tick (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('when a tick runs, then every bound definition is synced and passing learners are awarded; a second tick awards nothing twice', async () => {
    const def = await fx.define({ title: 'Ticked' });
    const readCohort: CohortReader = async (d) => (d.id === def.id ? { results, members } : { results: [], members: [] });
    const first = await tick(fx.runtime.sync.issuance, { owner: 'a', now: () => new Date(1_000), readCohort });
    expect(first.queued).toBeGreaterThanOrEqual(1);
    expect(first.runs.find((r) => r.state === 'done' && r.job.payload && (r.job.payload as { definitionId: string }).definitionId === def.id)).toMatchObject({ summary: { awarded: 1, notPassed: 1 } });
    const second = await tick(fx.runtime.sync.issuance, { owner: 'b', now: () => new Date(2_000), readCohort });
    expect(second.runs.every((r) => r.state === 'done' && r.summary.awarded === 0)).toBe(true);
    expect(await fx.runtime.store.awards.currentForDefinition(def.id)).toHaveLength(1);
  });

  test('when the platform fails, then the tick records the error, does not retry before the backoff, and awards after it', async () => {
    const def = await fx.define({ title: 'Flaky' });
    let t = 10_000_000;
    let fail = true;
    let calls = 0;
    const readCohort: CohortReader = async (d) => {
      if (d.id !== def.id) return { results: [], members: [] };
      calls += 1;
      if (fail) throw new Error('The platform refused our access token (HTTP 401).');
      return { results, members };
    };
    const args = { owner: 'a', now: () => new Date(t), readCohort };
    const failed = await tick(fx.runtime.sync.issuance, args);
    expect(failed.runs.some((r) => r.state === 'retry' && r.error.includes('HTTP 401'))).toBe(true);
    expect((await fx.runtime.store.jobs.latestFor(`ags-sync:${def.id}`))?.lastError).toContain('HTTP 401');
    await tick(fx.runtime.sync.issuance, args);
    expect(calls).toBe(1);
    fail = false;
    t += retryDelayMs(1);
    await tick(fx.runtime.sync.issuance, args);
    expect(calls).toBe(2);
    expect(await fx.runtime.store.awards.currentForDefinition(def.id)).toHaveLength(1);
  });

  test('when a tick has more due jobs than its cap, then it stops at the cap and the rest wait for the next tick', async () => {
    await fx.define({ title: 'Capped A' });
    await fx.define({ title: 'Capped B' });
    const readCohort: CohortReader = async () => ({ results: [], members: [] });
    const capped = await tick(fx.runtime.sync.issuance, { owner: 'a', now: () => new Date(50_000_000), readCohort, maxJobs: 1 });
    expect(capped.runs).toHaveLength(1);
    const rest = await tick(fx.runtime.sync.issuance, { owner: 'a', now: () => new Date(50_000_000), readCohort, enqueue: false });
    expect(rest.runs.length).toBeGreaterThanOrEqual(1);
  });
});

describe('scheduler settings and roster mapping', () => {
  test('SYNC_INTERVAL_SECONDS: default 60 s, whole seconds accepted, anything else refused with the value named', () => {
    expect(syncIntervalMs({})).toBe(60_000);
    expect(syncIntervalMs({ SYNC_INTERVAL_SECONDS: '5' })).toBe(5_000);
    expect(() => syncIntervalMs({ SYNC_INTERVAL_SECONDS: 'soon' })).toThrow(/"soon"/);
    expect(() => syncIntervalMs({ SYNC_INTERVAL_SECONDS: '0' })).toThrow(/SYNC_INTERVAL_SECONDS/);
  });

  test('NRPS 2.0 member → cohort member: name, else given + family name, else the user id', () => {
    expect(memberOf({ user_id: 'u1', roles: [], name: 'Ana Lima', email: 'a@x.org' })).toEqual({ userId: 'u1', name: 'Ana Lima', email: 'a@x.org' });
    expect(memberOf({ user_id: 'u2', roles: [], given_name: 'Bo', family_name: 'Ek' }).name).toBe('Bo Ek');
    expect(memberOf({ user_id: 'u3', roles: [] }).name).toBe('u3');
  });
});

describe.each(STORE_KINDS)('stack parts from the definition form (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('when a stack names a micro-credential of another course, then saving is refused with the stack named and nothing is stored', async () => {
    const { saveDefinitionFromForm } = await import('../../../lti-tool/src/issuance/definition-form.ts');
    const part = await fx.define({ title: 'Part elsewhere' });
    const otherCourse = { platformId: part.binding.platformId!, deploymentId: part.binding.deploymentId!, contextId: 'another-course', userId: 't', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] };
    const before = (await fx.runtime.store.definitions.listInContext(otherCourse)).length;
    const saved = await saveDefinitionFromForm(fx.deps, otherCourse, { 'title.en': 'Stack', 'rule.kind': 'stack', 'stack.mode': 'allOf', 'stack.parts': [part.id] }, { publish: false });
    expect(saved).toMatchObject({ ok: false, problems: [{ element: 'stackRule' }] });
    expect((await fx.runtime.store.definitions.listInContext(otherCourse)).length).toBe(before);
    const sameCourse = { ...otherCourse, contextId: part.binding.contextId! };
    expect((await saveDefinitionFromForm(fx.deps, sameCourse, { 'title.en': 'Stack', 'rule.kind': 'stack', 'stack.mode': 'allOf', 'stack.parts': [part.id] }, { publish: false })).ok).toBe(true);
  });
});

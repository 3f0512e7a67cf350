import { afterEach, describe, expect, test } from 'vitest';
import { saveDefinition } from '../../../lti-tool/src/issuance/definitions.ts';
import { allocateStatusIndexes, indexOf, STATUS_LIST_SIZE } from '../../../lti-tool/src/store/status-list-repository.ts';
import { openDb, openStore, type Store } from '../../../lti-tool/src/store/open-store.ts';
import { retryDelayMs } from '../../../lti-tool/src/store/job-repository.ts';
import { STORE_KINDS, freshStoreOptions } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION } from './issuance-fixture.ts';

const opened: { close(): Promise<void> }[] = [];
const track = <T extends { close(): Promise<void> }>(c: T): T => (opened.push(c), c);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

let n = 0;
const random = { listId: () => `list-${++n}`, below: (bound: number) => Math.floor(bound / 3) };

test('Bitstring Status List §3.1: the index permutation hands out every index of a list exactly once', () => {
  const seen = new Set<number>();
  for (let s = 0; s < STATUS_LIST_SIZE; s += 1) seen.add(indexOf(s, 40_001, 12_345, STATUS_LIST_SIZE));
  expect(seen.size).toBe(STATUS_LIST_SIZE);
  // Neighbouring awards do not get neighbouring indexes.
  expect(Math.abs(indexOf(1, 40_001, 0, STATUS_LIST_SIZE) - indexOf(0, 40_001, 0, STATUS_LIST_SIZE))).toBeGreaterThan(1000);
});

describe.each(STORE_KINDS)('issuance store (%s)', (kind) => {
  test('when a status list is full, then allocation continues in a new list, and no index is handed out twice', async () => {
    const options = await freshStoreOptions(kind);
    track(await openStore(options));
    const db = track(openDb(options));
    const size = 16;
    const first = await db.transaction((tx) => allocateStatusIndexes(tx, { purpose: 'revocation', count: 10, now: 1, random, size }));
    const second = await db.transaction((tx) => allocateStatusIndexes(tx, { purpose: 'revocation', count: 10, now: 2, random, size }));
    const all = [...first, ...second];
    expect(new Set(all.map((a) => a.listId)).size).toBe(2);
    expect(new Set(all.map((a) => `${a.listId}:${a.index}`)).size).toBe(20);
    expect(all.every((a) => a.index >= 0 && a.index < size)).toBe(true);
  });

  test('when a definition misses a mandatory EU element, then publishing is refused and the element is named; a draft is kept', async () => {
    const store: Store = track(await openStore(await freshStoreOptions(kind)));
    const { qualityAssurance: _qa, ...incomplete } = EXAMPLE_DEFINITION;
    const refused = await saveDefinition(store.definitions, { definition: incomplete, passRule: { kind: 'completion' }, publish: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems.map((p) => p.message).join(' ')).toMatch(/Type of quality assurance/);
    const draft = await saveDefinition(store.definitions, { definition: incomplete, passRule: { kind: 'completion' } });
    expect(draft).toMatchObject({ ok: true, record: { published: false } });
    const badRule = await saveDefinition(store.definitions, { definition: EXAMPLE_DEFINITION, passRule: { kind: 'min-score', minScore: 120, scoreMaximum: 100 }, publish: true });
    expect(badRule).toMatchObject({ ok: false, problems: [{ element: 'passRule.minScore' }] });
    const unknownPart = await saveDefinition(store.definitions, { definition: EXAMPLE_DEFINITION, stackRule: { allOf: ['nope'] }, publish: true });
    expect(unknownPart).toMatchObject({ ok: false, problems: [{ element: 'stackRule' }] });
  });

  test('jobs: a dedupe key queues one job; a claimed job is leased, retried with backoff after a failure, and taken over when its lease expires', async () => {
    const store: Store = track(await openStore(await freshStoreOptions(kind)));
    expect(await store.jobs.enqueue({ id: 'j1', kind: 'ags-sync', dedupeKey: 'line-item-1', payload: { a: 1 }, runAt: 0, now: 0 })).toBe(true);
    expect(await store.jobs.enqueue({ id: 'j2', kind: 'ags-sync', dedupeKey: 'line-item-1', payload: { a: 2 }, runAt: 0, now: 0 })).toBe(false);
    const claimed = await store.jobs.claimNext({ kinds: ['ags-sync'], owner: 'a', now: 10, leaseMs: 100 });
    expect(claimed).toMatchObject({ id: 'j1', state: 'running', attempts: 1, payload: { a: 1 } });
    expect(await store.jobs.claimNext({ kinds: ['ags-sync'], owner: 'b', now: 20, leaseMs: 100 })).toBeUndefined();
    // Instance a crashed: after the lease, b takes over.
    expect(await store.jobs.claimNext({ kinds: ['ags-sync'], owner: 'b', now: 200, leaseMs: 100 })).toMatchObject({ id: 'j1', attempts: 2 });
    expect(await store.jobs.fail('j1', 'token refused (HTTP 401)', 250)).toBe('pending');
    expect(await store.jobs.get('j1')).toMatchObject({ lastError: 'token refused (HTTP 401)', runAt: new Date(250 + retryDelayMs(2)) });
    expect(await store.jobs.claimNext({ kinds: ['ags-sync'], owner: 'b', now: 300, leaseMs: 100 })).toBeUndefined();
    await store.jobs.claimNext({ kinds: ['ags-sync'], owner: 'b', now: 250 + retryDelayMs(2), leaseMs: 100 });
    await store.jobs.complete('j1', 400_000);
    expect(await store.jobs.latestFor('line-item-1')).toMatchObject({ state: 'done', lastError: null });
    expect(await store.jobs.enqueue({ id: 'j3', kind: 'ags-sync', dedupeKey: 'line-item-1', payload: {}, runAt: 0, now: 0 })).toBe(true);
  });
});

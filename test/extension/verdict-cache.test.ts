/**
 * The verdict cache's second level (browser.storage.session) at the unit level: a fake storage
 * area that behaves like the real one for what the cache uses (values copied in and out as JSON,
 * get(null) lists everything). "A worker restart" is a new service on the same area. The real
 * area, with a real worker stop, is exercised in test/e2e/extension-cache-ob2.test.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createVerdictCache, type SessionArea } from '../../extension/src/background/verdict-cache.ts';
import { createVerificationService, type VerificationServiceOptions } from '../../extension/src/background/verification-service.ts';
import { createTestIssuer, type TestIssuer } from '../shared/verify/test-issuer.ts';

class FakeSessionArea implements SessionArea {
  readonly items = new Map<string, string>();
  failing = false;
  async get(keys: null | string | string[]): Promise<Record<string, unknown>> {
    const wanted = keys === null ? [...this.items.keys()] : typeof keys === 'string' ? [keys] : keys;
    return Object.fromEntries(wanted.filter((k) => this.items.has(k)).map((k) => [k, JSON.parse(this.items.get(k)!)]));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    if (this.failing) throw new Error('Session storage quota bytes exceeded.');
    for (const [k, v] of Object.entries(items)) this.items.set(k, JSON.stringify(v));
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const k of typeof keys === 'string' ? [keys] : keys) this.items.delete(k);
  }
}

const URL_A = 'https://academy.example/credentials/AAAAAAAAAAAAAAAAAAAAAA';
let issuer: TestIssuer;
let jwt: string;

beforeAll(async () => {
  issuer = await createTestIssuer('academy.example');
  jwt = await issuer.issue({ index: 3 });
});

function web() {
  const requests: string[] = [];
  const fetch: VerificationServiceOptions['fetch'] = async (url) => {
    requests.push(url);
    const body = url === URL_A ? jwt : issuer.documents.documents.get(url);
    return body === undefined ? new Response('', { status: 404 }) : new Response(body, { headers: { 'content-type': body.startsWith('{') ? 'application/json' : 'application/vc+jwt' } });
  };
  return { fetch, requests };
}

/** Lets the first worker's queued session writes land (they are in flight when a real worker is stopped mid-way, too; then the verdict is simply checked again). */
const writesLanded = () => new Promise((resolve) => setTimeout(resolve, 0));

function clock() {
  let t = Date.parse('2026-02-01T12:00:00Z');
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('verdicts survive the worker being stopped (storage.session level)', () => {
  test('when the worker restarts within the TTL, then the verdict and its report come from the session area, with nothing fetched', async () => {
    const area = new FakeSessionArea();
    const net = web();
    const time = clock();
    const first = await createVerificationService({ fetch: net.fetch, now: time.now, sessionArea: area }).verifySource({ kind: 'url', url: URL_A });
    expect(first.verdict).toBe('verified');
    const fetchedBefore = net.requests.length;
    await writesLanded();

    const restarted = createVerificationService({ fetch: net.fetch, now: time.now, sessionArea: area });
    time.advance(60_000);
    const again = await restarted.verifySource({ kind: 'url', url: URL_A });
    expect(again).toEqual(first);
    expect(net.requests).toHaveLength(fetchedBefore);
    expect((await restarted.report(first.reportKey))?.report?.verdict).toBe('verified');
  });

  test('when the restarted worker finds a stale verdict, then it re-checks the status from the stored credential and shows a revocation', async () => {
    const local = await createTestIssuer('academy.example');
    const revocable = await local.issue({ index: 9 });
    const area = new FakeSessionArea();
    const requests: string[] = [];
    const fetch: VerificationServiceOptions['fetch'] = async (url) => {
      requests.push(url);
      const body = url === URL_A ? revocable : local.documents.documents.get(url);
      return body === undefined ? new Response('', { status: 404 }) : new Response(body, { headers: { 'content-type': 'application/vc+jwt' } });
    };
    const time = clock();
    expect((await createVerificationService({ fetch, now: time.now, ttlMs: 60_000, sessionArea: area }).verifySource({ kind: 'url', url: URL_A })).verdict).toBe('verified');
    local.revocationList.set(9, true);
    await local.publishStatusList();
    await writesLanded();
    time.advance(61_000);
    const restarted = createVerificationService({ fetch, now: time.now, ttlMs: 60_000, sessionArea: area });
    expect((await restarted.verifySource({ kind: 'url', url: URL_A })).verdict).toBe('revoked');
    expect(requests.filter((r) => r === URL_A)).toHaveLength(1);
    expect(requests.filter((r) => r === local.statusListUrl)).toHaveLength(2);
  });

  test('when the cache is cleared, then both levels are empty and the next check fetches again', async () => {
    const area = new FakeSessionArea();
    area.items.set('someone-else', JSON.stringify(1));
    const net = web();
    const service = createVerificationService({ fetch: net.fetch, now: clock().now, sessionArea: area });
    await service.verifySource({ kind: 'url', url: URL_A });
    await writesLanded();
    expect(area.items.size).toBeGreaterThan(1);
    await service.clear();
    expect([...area.items.keys()]).toEqual(['someone-else']);
    await service.verifySource({ kind: 'url', url: URL_A });
    expect(net.requests.filter((r) => r === URL_A)).toHaveLength(2);
    await createVerificationService({ fetch: net.fetch, now: clock().now, sessionArea: area }).clear();
    expect(net.requests.filter((r) => r === URL_A)).toHaveLength(2);
  });

  test('when stored items are not what the cache wrote, then they are ignored and the credential is checked again', async () => {
    const area = new FakeSessionArea();
    const net = web();
    const time = clock();
    const service = createVerificationService({ fetch: net.fetch, now: time.now, sessionArea: area });
    await service.verifySource({ kind: 'url', url: URL_A });
    await writesLanded();
    for (const key of area.items.keys()) if (key.includes('.e:')) area.items.set(key, JSON.stringify({ view: 'verified' }));
    await createVerificationService({ fetch: net.fetch, now: time.now, sessionArea: area }).verifySource({ kind: 'url', url: URL_A });
    expect(net.requests.filter((r) => r === URL_A)).toHaveLength(2);
  });

  test('when the session area refuses writes (quota), then verification still works from memory', async () => {
    const area = new FakeSessionArea();
    area.failing = true;
    const net = web();
    const service = createVerificationService({ fetch: net.fetch, now: clock().now, sessionArea: area });
    expect((await service.verifySource({ kind: 'url', url: URL_A })).verdict).toBe('verified');
    expect((await service.verifySource({ kind: 'url', url: URL_A })).verdict).toBe('verified');
    expect(net.requests.filter((r) => r === URL_A)).toHaveLength(1);
  });
});

describe('the session level is bounded', () => {
  const view = { verdict: 'verified' as const, summary: 'ok', reportKey: 'k', checks: [] };

  test('when more items are written than allowed, then the oldest are dropped from the area and the newest are still found', async () => {
    const area = new FakeSessionArea();
    const cache = createVerdictCache({ area, maxEntries: 2, maxStoredItems: 3 });
    for (let i = 0; i < 6; i++) cache.putEntry(`e${i}`, { input: `credential ${i}`, kind: 'url', view, checkedAt: i });
    await cache.flushed();
    const stored = [...area.items.keys()].filter((k) => !k.endsWith('index'));
    expect(stored).toHaveLength(3);
    const reopened = createVerdictCache({ area, maxEntries: 2, maxStoredItems: 3 });
    expect(await reopened.entry('e0')).toBeUndefined();
    expect((await reopened.entry('e5'))?.input).toBe('credential 5');
  });

  test('when the stored characters would pass the budget, then old items make room, and an entry over an eighth of it stays in memory only', async () => {
    const area = new FakeSessionArea();
    const cache = createVerdictCache({ area, maxStoredChars: 12_000 });
    for (let i = 0; i < 10; i++) cache.putEntry(`e${i}`, { input: 'x'.repeat(900), kind: 'url', view, checkedAt: i });
    cache.putEntry('big', { input: 'y'.repeat(2_000), kind: 'url', view, checkedAt: 0 });
    await cache.flushed();
    const chars = [...area.items.entries()].filter(([k]) => !k.endsWith('index')).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    expect(chars).toBeLessThanOrEqual(12_000);
    expect([...area.items.keys()].some((k) => k.endsWith('e:big'))).toBe(false);
    expect((await cache.entry('big'))?.input).toHaveLength(2_000);
    expect(await createVerdictCache({ area }).entry('big')).toBeUndefined();
    expect((await createVerdictCache({ area }).entry('e9'))?.checkedAt).toBe(9);
  });
});

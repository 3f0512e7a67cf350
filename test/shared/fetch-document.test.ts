import { describe, expect, test } from 'vitest';
import { checkFetchableUrl, fetchBytes } from '../../shared/net/fetch-document.ts';
import { createDocumentSource } from '../../shared/net/document-source.ts';

const respond = (body: BodyInit, init?: ResponseInit) => async () => new Response(body, init);

describe('bounded fetching', () => {
  test('when the body is larger than the cap, then the fetch fails with fetch.too-large', async () => {
    const big = new Uint8Array(2048);
    const out = await fetchBytes('https://issuer.example/big', { fetch: respond(big), maxBytes: 1024 });
    expect(out).toMatchObject({ ok: false, code: 'fetch.too-large' });
  });

  test('when the server never answers, then the fetch times out', async () => {
    const hang = (_url: string, init?: { signal?: AbortSignal }) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const out = await fetchBytes('https://issuer.example/slow', { fetch: hang, timeoutMs: 10 });
    expect(out).toMatchObject({ ok: false, code: 'fetch.timeout' });
  });

  test('when the answer is not JSON, then getJson says so', async () => {
    const out = await createDocumentSource({ fetch: respond('<html>') }).getJson('https://issuer.example/x');
    expect(out).toMatchObject({ ok: false, code: 'fetch.not-json' });
  });

  test('when the status is not 2xx, then the status is reported', async () => {
    const out = await createDocumentSource({ fetch: respond('{}', { status: 404 }) }).getJson('https://issuer.example/x');
    expect(out).toMatchObject({ ok: false, code: 'fetch.http-status' });
  });

  test('http is refused except on loopback', () => {
    expect(checkFetchableUrl('http://issuer.example/x')).toMatch(/only https/);
    expect(checkFetchableUrl('http://127.0.0.1:3000/x')).toBeUndefined();
    expect(checkFetchableUrl('http://localhost:3000/x')).toBeUndefined();
    expect(checkFetchableUrl('https://issuer.example/x')).toBeUndefined();
    expect(checkFetchableUrl('file:///etc/passwd')).toMatch(/only https/);
  });

  test('when two checks ask for the same document, then it is fetched once', async () => {
    let calls = 0;
    const counting = async () => {
      calls += 1;
      return new Response('{"id":"x"}');
    };
    const source = createDocumentSource({ fetch: counting });
    const [a, b] = await Promise.all([source.getJson('https://issuer.example/did.json'), source.getJson('https://issuer.example/did.json')]);
    expect(a).toMatchObject({ ok: true, value: { id: 'x' } });
    expect(b).toMatchObject({ ok: true, value: { id: 'x' } });
    expect(calls).toBe(1);
  });

  test('when the cached entry is older than the TTL, then it is fetched again', async () => {
    let calls = 0;
    let clock = 0;
    const counting = async () => {
      calls += 1;
      return new Response('{}');
    };
    const source = createDocumentSource({ fetch: counting, ttlMs: 1000, now: () => clock });
    await source.getJson('https://issuer.example/a');
    clock = 1500;
    await source.getJson('https://issuer.example/a');
    expect(calls).toBe(2);
  });

  test('when a fetch fails, then the failure is not cached', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      return calls === 1 ? new Response('', { status: 503 }) : new Response('{}');
    };
    const source = createDocumentSource({ fetch: flaky });
    expect((await source.getJson('https://issuer.example/a')).ok).toBe(false);
    expect((await source.getJson('https://issuer.example/a')).ok).toBe(true);
  });
});

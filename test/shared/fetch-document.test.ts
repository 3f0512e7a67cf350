import { describe, expect, test } from 'vitest';
import { checkFetchableUrl, fetchBytes, fetchJson } from '../../shared/net/fetch-document.ts';

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

  test('when the answer is not JSON, then fetchJson says so', async () => {
    const out = await fetchJson('https://issuer.example/x', { fetch: respond('<html>') });
    expect(out).toMatchObject({ ok: false, code: 'fetch.not-json' });
  });

  test('when the status is not 2xx, then the status is reported', async () => {
    const out = await fetchJson('https://issuer.example/x', { fetch: respond('{}', { status: 404 }) });
    expect(out).toMatchObject({ ok: false, code: 'fetch.http-status' });
  });

  test('http is refused except on loopback', () => {
    expect(checkFetchableUrl('http://issuer.example/x')).toMatch(/only https/);
    expect(checkFetchableUrl('http://127.0.0.1:3000/x')).toBeUndefined();
    expect(checkFetchableUrl('http://localhost:3000/x')).toBeUndefined();
    expect(checkFetchableUrl('https://issuer.example/x')).toBeUndefined();
    expect(checkFetchableUrl('file:///etc/passwd')).toMatch(/only https/);
  });
});

import { describe, expect, test } from 'vitest';
import { publicOnlyFetch } from '../../../lti-tool/src/issuance/public-fetch.ts';
import { createDocumentSource } from '../../../shared/net/document-source.ts';

const reached: string[] = [];
const base = async (url: string, init?: { redirect?: string }) => {
  reached.push(`${url} ${init?.redirect ?? ''}`);
  return new Response('{}', { headers: { 'content-type': 'application/json' } });
};
const resolver = (table: Record<string, string[]>) => async (host: string) => table[host] ?? [];

describe('verifier fetches from the public tool (SSRF guard)', () => {
  test.each([
    ['http://127.0.0.1:5432/.well-known/did.json'],
    ['https://10.1.2.3/.well-known/did.json'],
    ['https://[::ffff:192.168.1.1]/x'],
    ['https://169.254.169.254/latest/meta-data'],
    ['https://internal.example/.well-known/did.json'],
    ['https://[fd00::1]/x'],
  ])('when a credential points the verifier at %s, then nothing is fetched', async (url) => {
    reached.length = 0;
    const fetch = publicOnlyFetch(base, { allowLoopback: false, resolve: resolver({ 'internal.example': ['10.0.0.8'] }) });
    await expect(fetch(url)).rejects.toMatchObject({ code: 'FETCH_ADDRESS_FORBIDDEN' });
    expect(reached).toEqual([]);
    // Through the document source the refusal is an ordinary "unreachable" outcome, not a crash.
    const outcome = await createDocumentSource({ fetch }).getJson(url);
    expect(outcome).toMatchObject({ ok: false, code: 'fetch.network' });
  });

  test('when the host is public, then the fetch goes ahead without following redirects; loopback only when the tool runs on it', async () => {
    reached.length = 0;
    const fetch = publicOnlyFetch(base, { allowLoopback: false, resolve: resolver({ 'issuer.example': ['93.184.216.34'] }) });
    await fetch('https://issuer.example/.well-known/did.json');
    expect(reached).toEqual(['https://issuer.example/.well-known/did.json error']);
    const dev = publicOnlyFetch(base, { allowLoopback: true, resolve: resolver({ localhost: ['127.0.0.1'] }) });
    await expect(dev('http://localhost:3000/.well-known/did.json')).resolves.toBeInstanceOf(Response);
    await expect(dev('https://10.0.0.1/')).rejects.toMatchObject({ code: 'FETCH_ADDRESS_FORBIDDEN' });
  });
});

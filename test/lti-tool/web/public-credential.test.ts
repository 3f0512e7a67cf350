import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import type { CliIo } from '../../../lti-tool/src/cli/io.ts';
import { awardCredential } from '../../../lti-tool/src/issuance/award-engine.ts';
import { saveDefinition } from '../../../lti-tool/src/issuance/definitions.ts';
import { setCredentialHidden } from '../../../lti-tool/src/issuance/revocation.ts';
import { extractBakedCredential } from '../../../shared/baking/extract-baked.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import { BINDING, EXAMPLE_DEFINITION } from '../issuance/issuance-fixture.ts';

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), fetch: (url, init) => fetch(url, init), stdin: Readable.from(['']), env };
  return { code: await runCli(args, io), out, err };
}

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';
/** A 1×1 PNG. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe.each(STORE_KINDS)('public credential pages and status lists (%s)', (kind) => {
  let tool: ToolServer;
  const award = async (key: string, definition: Record<string, unknown> = EXAMPLE_DEFINITION) => {
    const { id: _ignored, ...body } = definition;
    const saved = await saveDefinition(tool.runtime.store.definitions, { definition: body, passRule: { kind: 'min-score', minScore: 50, scoreMaximum: 100 }, binding: BINDING, publish: true });
    if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
    const outcome = await awardCredential(tool.runtime.issuance, { definitionId: saved.record.id, learner: { key, name: 'Maria Schneider', email: 'maria@example.org' }, result: { resultScore: 88, resultMaximum: 100 } });
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome;
  };
  beforeAll(async () => {
    tool = await startToolServer(kind);
  });
  afterAll(() => tool.close());

  test('when a credential is awarded, then its public page shows it verified, the CLI verifies its URL, and after revocation both say revoked', async () => {
    const { url, credential } = await award('e2e-1');
    const page = await request(tool.baseUrl).get(`/credentials/${credential.id}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(page.headers.vary).toMatch(/Accept/);
    expect(page.text).toContain(`<link rel="alternate" type="application/vc+jwt" href="/credentials/${credential.id}/credential.jwt"/>`);
    expect(page.text).toContain(`<link rel="alternate" type="application/vc+ld+json" href="/credentials/${credential.id}/credential.json"/>`);
    expect(page.text).toContain('Data Literacy for Public Administration');
    expect(page.text).toContain('Maria Schneider');
    expect(page.text).toContain('data-verdict="verified"');
    expect(page.text).toContain('https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Data+Literacy');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);

    expect((await cli(['verify', url], tool.env)).code).toBe(0);
    const revoked = await cli(['revoke', url, '--reason', 'Issued by mistake'], tool.env);
    expect(revoked.err).toBe('');
    expect(revoked.code).toBe(0);
    const after = await cli(['verify', url, '--json'], tool.env);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.out)).toMatchObject({ verified: false, verdict: 'revoked' });
    const pageAfter = await request(tool.baseUrl).get(`/credentials/${credential.id}`);
    expect(pageAfter.text).toContain('data-verdict="revoked"');
    expect((await cli(['revoke', credential.id, '--reason', 'again'], tool.env)).code).toBe(1);
    expect((await cli(['revoke', 'not-a-credential', '--reason', 'x'], tool.env)).code).toBe(2);
  });

  test('content negotiation: the same URL answers the VC-JWT or the JSON, and the download URLs serve them too', async () => {
    const { credential, url } = await award('e2e-neg');
    const jwt = await request(tool.baseUrl).get(`/credentials/${credential.id}`).set('Accept', 'application/vc+jwt');
    expect(jwt.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    expect(jwt.text).toBe(credential.jwt);
    for (const accept of ['application/vc+ld+json', 'application/json']) {
      const json = await request(tool.baseUrl).get(`/credentials/${credential.id}`).set('Accept', accept);
      expect(json.headers['content-type']).toContain(accept);
      expect(JSON.parse(json.text)).toMatchObject({ id: url, type: ['VerifiableCredential', 'AchievementCredential'] });
      expect(JSON.parse(json.text)).not.toHaveProperty('iss');
    }
    expect((await request(tool.baseUrl).get(`/credentials/${credential.id}/credential.jwt`)).text).toBe(credential.jwt);
    expect(JSON.parse((await request(tool.baseUrl).get(`/credentials/${credential.id}/credential.json`)).text).id).toBe(url);
    expect((await request(tool.baseUrl).get('/credentials/AAAAAAAAAAAAAAAAAAAAAAA').set('Accept', 'text/html')).status).toBe(404);
  });

  test('when the holder hides the credential, then its URLs answer 410 with a clear page, and the credential still verifies', async () => {
    const { credential } = await award('e2e-hidden');
    await setCredentialHidden(tool.runtime.issuance, { credentialId: credential.id, learnerKey: 'e2e-hidden', hidden: true });
    const page = await request(tool.baseUrl).get(`/credentials/${credential.id}`).set('Accept', 'text/html');
    expect(page.status).toBe(410);
    expect(page.text).toContain('has withdrawn its public page');
    expect((await request(tool.baseUrl).get(`/credentials/${credential.id}/credential.jwt`)).status).toBe(410);
    const pasted = await request(tool.baseUrl).post('/verify').type('form').send({ credential: credential.jwt });
    expect(pasted.text).toContain('data-verdict="verified"');
    await setCredentialHidden(tool.runtime.issuance, { credentialId: credential.id, learnerKey: 'e2e-hidden', hidden: false });
    expect((await request(tool.baseUrl).get(`/credentials/${credential.id}`)).status).toBe(200);
    // Someone else cannot hide it.
    expect(await setCredentialHidden(tool.runtime.issuance, { credentialId: credential.id, learnerKey: 'intruder', hidden: true })).toMatchObject({ ok: false, code: 'CREDENTIAL_NOT_FOUND' });
  });

  test('Bitstring Status List §3.1: the list is a VC-JWT with an ETag and a short Cache-Control, and a revocation changes it at once', async () => {
    const { credential } = await award('e2e-status');
    const path = `/status/revocation/${credential.statusListId}`;
    const first = await request(tool.baseUrl).get(path);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    expect(first.headers['cache-control']).toMatch(/max-age=60/);
    const etag = first.headers.etag as string;
    expect((await request(tool.baseUrl).get(path).set('If-None-Match', etag)).status).toBe(304);
    const revoked = await cli(['revoke', credential.id, '--reason', 'Test'], tool.env);
    expect(revoked).toMatchObject({ code: 0, err: '' });
    const second = await request(tool.baseUrl).get(path).set('If-None-Match', etag);
    expect(second.status).toBe(200);
    expect(second.headers.etag).not.toBe(etag);
    expect((await request(tool.baseUrl).get('/status/revocation/nope')).status).toBe(404);
  });

  test('OB 3.0 §5.3: the badges carry the credential baked in; PNG only when the definition has a PNG image', async () => {
    const plain = await award('e2e-badge');
    const svg = await request(tool.baseUrl).get(`/credentials/${plain.credential.id}/badge.svg`).buffer(true).parse((res, done) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(null, body));
    });
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const fromSvg = extractBakedCredential(new TextEncoder().encode(svg.body as string));
    expect(fromSvg).toMatchObject({ ok: true, kind: 'ob3', value: plain.credential.jwt });
    expect((await request(tool.baseUrl).get(`/credentials/${plain.credential.id}/badge.png`)).status).toBe(404);

    const withPng = await award('e2e-png', { ...EXAMPLE_DEFINITION, image: `data:image/png;base64,${PNG_1X1}` });
    const png = await request(tool.baseUrl).get(`/credentials/${withPng.credential.id}/badge.png`).buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect(extractBakedCredential(new Uint8Array(png.body as Buffer))).toMatchObject({ ok: true, value: withPng.credential.jwt });
    expect((await request(tool.baseUrl).get(`/credentials/${withPng.credential.id}`)).text).toContain(`/credentials/${withPng.credential.id}/badge.png`);
    expect((await request(tool.baseUrl).get(`/credentials/${plain.credential.id}`)).text).not.toContain('badge.png');
    const uploaded = await request(tool.baseUrl).post('/verify').attach('file', png.body as Buffer, 'badge.png');
    expect(uploaded.status).toBe(200);
    expect(uploaded.text).toContain('data-verdict="verified"');
  });

  test('the certificate page is printable and carries a QR code to the public URL', async () => {
    const { credential, url } = await award('e2e-cert');
    const page = await request(tool.baseUrl).get(`/credentials/${credential.id}/certificate`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<svg[^>]*viewBox/);
    expect(page.text).toContain(url);
  });

  test('/verify: a pasted credential gets the report; unreadable input a clear message and the text back', async () => {
    const { credential } = await award('e2e-verify');
    const form = await request(tool.baseUrl).get('/verify');
    expect(form.text).toContain('enctype="multipart/form-data"');
    const bad = await request(tool.baseUrl).post('/verify').type('form').send({ credential: 'definitely not a credential' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('neither a VC-JWT nor a JSON credential');
    expect(bad.text).toContain('definitely not a credential');
    const json = await request(tool.baseUrl).post('/verify').set('Accept', 'application/json').type('text/plain').send(credential.jwt);
    expect(json.body).toMatchObject({ verified: true, verdict: 'verified' });
    const multipart = await request(tool.baseUrl).post('/verify').field('credential', credential.jwt);
    expect(multipart.text).toContain('data-verdict="verified"');
    const empty = await request(tool.baseUrl).post('/verify').type('form').send({ credential: '' });
    expect(empty.text).toContain('Paste a credential or choose a file');
  });

  test('when a definition carries hostile text, then every page escapes it', async () => {
    const hostile = {
      ...EXAMPLE_DEFINITION,
      title: { en: HOSTILE },
      description: { en: HOSTILE },
      learningOutcomes: [{ text: { en: HOSTILE }, skillUri: 'javascript:alert(1)' }],
      assessmentType: { en: HOSTILE },
      qualityAssurance: { en: HOSTILE },
      awardingBody: { ...(EXAMPLE_DEFINITION.awardingBody as object), name: HOSTILE, url: 'https://academy.example.eu' },
    };
    const { credential } = await award('e2e-hostile', hostile);
    for (const path of [`/credentials/${credential.id}`, `/credentials/${credential.id}/certificate`]) {
      const page = await request(tool.baseUrl).get(path).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('javascript:');
      expect(page.text).toContain('&lt;script>alert');
    }
    const svg = await request(tool.baseUrl).get(`/credentials/${credential.id}/badge.svg`).buffer(true).parse((res, done) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(null, body));
    });
    expect(svg.body as string).not.toContain('<script>');
    expect(svg.body as string).toContain('&lt;script&gt;');
    const verified = await request(tool.baseUrl).post('/verify').type('form').send({ credential: credential.jwt });
    expect(verified.text).not.toContain('<script>alert');
  });
});

/** RFC 7523 §3 / Security Framework 1.0 §4.1: the simulator's token endpoint checks the client assertion and grants scopes. */
import { SignJWT, generateKeyPair } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { AGS_SCOPES, NRPS_SCOPE } from '../platform-sim/index.ts';
import { ASSERTION_TYPE, fixture, postToken, requestToken, START, type Fixture } from './fixture.ts';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('token endpoint', () => {
  test('when the assertion is valid, then a Bearer token for 3600 s grants the intersection of requested and permitted scopes', async () => {
    f = await fixture('moodle', { scopes: [AGS_SCOPES.score, NRPS_SCOPE] });
    const { status, body } = await requestToken(f, `${AGS_SCOPES.score} ${AGS_SCOPES.lineitem} ${NRPS_SCOPE}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${AGS_SCOPES.score} ${NRPS_SCOPE}` });
    expect(f.sim.tokensIssued()).toEqual([{ clientId: f.clientId, scopes: [AGS_SCOPES.score, NRPS_SCOPE] }]);
  });

  test('when no requested scope is permitted, then invalid_scope', async () => {
    f = await fixture('canvas', { scopes: [AGS_SCOPES.score] });
    expect(await requestToken(f, NRPS_SCOPE)).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  test('when the assertion is signed by a key the tool does not publish, then invalid_client', async () => {
    f = await fixture('moodle');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ iss: f.clientId, sub: f.clientId, jti: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'whatever' }).setIssuedAt(START / 1000).setExpirationTime(START / 1000 + 60).setAudience(f.sim.urls.token).sign(privateKey);
    expect(await postToken(f, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: forged, scope: AGS_SCOPES.score })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(f.sim.tokensIssued()).toHaveLength(0);
  });

  test.each([
    ['aud is not the token URL', { aud: 'https://elsewhere.example/token' }],
    ['sub is not the client id', { sub: 'someone-else' }],
    ['it expired', { exp: START / 1000 - 10 }],
  ])('when %s, then invalid_client', async (_name, claims) => {
    f = await fixture('canvas');
    expect(await requestToken(f, AGS_SCOPES.score, claims)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  test('when a jti is replayed, then invalid_grant', async () => {
    f = await fixture('moodle');
    expect((await requestToken(f, AGS_SCOPES.score, { jti: 'once' })).status).toBe(200);
    expect(await requestToken(f, AGS_SCOPES.score, { jti: 'once' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('when the request is not client_credentials with a JWT bearer assertion, then it is refused with the OAuth error', async () => {
    f = await fixture('moodle');
    expect(await postToken(f, { grant_type: 'password', scope: AGS_SCOPES.score })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await postToken(f, { grant_type: 'client_credentials', client_assertion_type: 'basic', client_assertion: 'x', scope: AGS_SCOPES.score })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const json = await fetch(f.sim.urls.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });

  test('when the tool is pending, then invalid_client', async () => {
    f = await fixture('moodle');
    (f.sim.tool(f.clientId) as { status: string }).status = 'pending';
    expect(await requestToken(f, AGS_SCOPES.score)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  test('when the tool rotates its key, then the next assertion verifies against the freshly fetched JWKS', async () => {
    f = await fixture('canvas');
    await f.tool.rotateKey();
    expect((await requestToken(f, AGS_SCOPES.score)).status).toBe(200);
  });

  test('when an access token expires by the injected clock, then the services answer 401 invalid_token', async () => {
    f = await fixture('moodle');
    const { body } = await requestToken(f, AGS_SCOPES.lineitemReadonly);
    const url = f.sim.urls.lineItems(f.course.id, f.clientId);
    expect((await fetch(url, { headers: { authorization: `Bearer ${String(body.access_token)}` } })).status).toBe(200);
    f.advance(3600);
    const expired = await fetch(url, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
  });
});

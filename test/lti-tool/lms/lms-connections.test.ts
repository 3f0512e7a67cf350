import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import { createLmsConnections, OAUTH_STATE_TTL_MS, type CanvasOAuth } from '../../../lti-tool/src/lms/lms-connections.ts';
import { LmsError } from '../../../lti-tool/src/lms/lms-source.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { openIssuanceFixture, type IssuanceFixture } from '../issuance/issuance-fixture.ts';
import { createTestLms, registerPlatform, type TestLms } from './lms-watch-fixture.ts';

const secretBox = new SecretBox({ secret: 'lms-connections-test-secret-long-enough-0123456789', source: 'test' });

describe.each(STORE_KINDS)('LMS connections (%s)', (kind) => {
  let fx: IssuanceFixture;
  let lms: TestLms;
  let t: number;
  const refreshes: string[] = [];
  const canvasOAuth: CanvasOAuth = {
    authorizeUrl: ({ baseUrl, clientId, redirectUri, state }) => `${baseUrl}/login/oauth2/auth?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state })}`,
    async exchangeCode({ code, clientSecret }) {
      if (code !== 'good-code' || clientSecret !== 'dev-key-secret') throw new LmsError('LMS_TOKEN_INVALID', 'Canvas refused the authorization (invalid_grant).');
      lms.tokens.set('access-1', []);
      return { accessToken: 'access-1', refreshToken: 'refresh-secret-1', expiresIn: 3600, user: { name: 'Canvas Admin' } };
    },
    async refreshAccessToken({ refreshToken }) {
      refreshes.push(refreshToken);
      const token = `access-${refreshes.length + 1}`;
      lms.tokens.set(token, []);
      return { accessToken: token, expiresIn: 3600 };
    },
  };
  const connections = () =>
    createLmsConnections({
      store: fx.runtime.store,
      secretBox,
      now: () => new Date(t),
      sources: { moodle: ({ token }) => lms.source('moodle', async () => token), canvas: ({ accessToken }) => lms.source('canvas', accessToken) },
      canvasOAuth,
    });

  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
    lms = createTestLms();
    t = 1_000_000;
  });
  afterAll(() => fx.close());

  test('when a working token is saved, then it is stored sealed (the row does not contain it) and the connection is ok', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    lms.tokens.set('moodle-token-abc123', []);
    const check = await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'https://moodle.example/lms/', token: ' moodle-token-abc123 ' });
    expect(check).toMatchObject({ ok: true, actingAs: 'Watcher' });
    const row = await fx.runtime.store.lmsConnections.get(platformId);
    expect(JSON.stringify(row)).not.toContain('moodle-token-abc123');
    expect(secretBox.open(row!.sealedSecret!, `lms-connection:${platformId}:secret`)).toBe('moodle-token-abc123');
    // Bound to its platform: copied onto another platform's row, it does not open.
    expect(() => secretBox.open(row!.sealedSecret!, 'lms-connection:another-platform:secret')).toThrow();
    expect(await connections().get(platformId)).toMatchObject({ platformId, kind: 'moodle', baseUrl: 'https://moodle.example/lms', authType: 'token', status: 'ok', missing: [], actingAs: 'Watcher' });
    expect((await connections().list()).map((c) => c.platformId)).toContain(platformId);
  });

  test('when an invalid token is saved over a working one, then the check says why and the working connection is kept', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    lms.tokens.set('first-good-token', []);
    await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'https://moodle.example', token: 'first-good-token' });
    const check = await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'https://other.example', token: 'typo-token' });
    expect(check).toMatchObject({ ok: false, missing: [], message: 'The LMS does not accept this token.' });
    expect(await connections().get(platformId)).toMatchObject({ baseUrl: 'https://moodle.example', status: 'ok' });
    expect(await (await connections().source(platformId))!.check()).toMatchObject({ ok: true });
  });

  test('when a token works but lacks functions, then it is stored with status error and the missing functions named', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    lms.tokens.set('partial-token', ['gradereport_user_get_grade_items']);
    const check = await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'https://moodle.example', token: 'partial-token' });
    expect(check.ok).toBe(false);
    expect(await connections().get(platformId)).toMatchObject({ status: 'error', missing: ['gradereport_user_get_grade_items'], message: expect.stringContaining('gradereport_user_get_grade_items') });
  });

  test('when the LMS revokes a stored token, then a recheck turns the connection to error; removing it leaves no source', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    lms.tokens.set('soon-revoked', []);
    await connections().saveToken({ platformId, kind: 'canvas', baseUrl: 'https://canvas.example/some/path', token: 'soon-revoked' });
    expect(await connections().get(platformId)).toMatchObject({ baseUrl: 'https://canvas.example', status: 'ok' });
    lms.tokens.delete('soon-revoked');
    expect(await connections().recheck(platformId)).toMatchObject({ ok: false });
    expect(await connections().get(platformId)).toMatchObject({ status: 'error', message: 'The LMS does not accept this token.' });
    await connections().remove(platformId);
    expect(await connections().get(platformId)).toBeUndefined();
    expect(await connections().source(platformId)).toBeUndefined();
    expect(await connections().recheck(platformId)).toMatchObject({ ok: false, message: expect.stringContaining('no LMS connection') });
  });

  test('when the address or platform is unusable, then nothing is stored and the admin is told what to enter', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms);
    lms.tokens.set('fine-token', []);
    expect(await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'http://moodle.example', token: 'fine-token' })).toMatchObject({ ok: false, message: expect.stringContaining('https://') });
    expect(await connections().saveToken({ platformId, kind: 'moodle', baseUrl: 'https://moodle.example', token: 'two words' })).toMatchObject({ ok: false });
    expect(await connections().saveToken({ platformId: 'not-registered', kind: 'moodle', baseUrl: 'https://moodle.example', token: 'fine-token' })).toMatchObject({ ok: false, message: expect.stringContaining('register') });
    expect(await connections().get(platformId)).toBeUndefined();
  });

  test('Canvas OAuth2: start waits for approval, finish stores the sealed refresh token, the state works once and expires', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms, 'https://canvas.instructure.com');
    const service = connections();
    const start = { platformId, baseUrl: 'https://school.instructure.com/', clientId: '10000000000012', clientSecret: 'dev-key-secret', redirectUri: 'https://tool.example/admin/lms/oauth' };
    const { authorizeUrl } = await service.startCanvasOAuth(start);
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    expect(authorizeUrl.startsWith('https://school.instructure.com/login/oauth2/auth?')).toBe(true);
    expect(await service.get(platformId)).toMatchObject({ kind: 'canvas', authType: 'oauth2', status: 'authorize' });
    expect(await service.source(platformId)).toBeUndefined();

    const finished = await service.finishCanvasOAuth({ state, code: 'good-code' });
    expect(finished).toMatchObject({ ok: true, platformId });
    expect(await service.get(platformId)).toMatchObject({ status: 'ok', actingAs: 'Watcher', authType: 'oauth2' });
    const row = await fx.runtime.store.lmsConnections.get(platformId);
    expect(JSON.stringify(row)).not.toContain('refresh-secret-1');
    expect(JSON.stringify(row)).not.toContain('dev-key-secret');
    await expect(service.finishCanvasOAuth({ state, code: 'good-code' })).rejects.toMatchObject({ code: 'LMS_TOKEN_INVALID' });

    // The access token from the exchange is used until shortly before it expires; then one refresh serves concurrent callers.
    const source = (await service.source(platformId))!;
    await source.learners('1');
    expect(refreshes).toEqual([]);
    t += 3600_000;
    await Promise.all([source.learners('1'), source.learners('1')]);
    expect(refreshes).toEqual(['refresh-secret-1']);

    const again = await service.startCanvasOAuth(start);
    t += OAUTH_STATE_TTL_MS + 1;
    await expect(service.finishCanvasOAuth({ state: new URL(again.authorizeUrl).searchParams.get('state')!, code: 'good-code' })).rejects.toMatchObject({ code: 'LMS_TOKEN_INVALID' });
    // A new authorization that never finishes leaves the working connection alone.
    expect(await service.get(platformId)).toMatchObject({ status: 'ok', authType: 'oauth2' });
  });

  test('Canvas OAuth2: a refused code stores nothing new, and a token connection stays until Canvas approves', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms, 'https://canvas.instructure.com');
    lms.tokens.set('canvas-token', []);
    const service = connections();
    await service.saveToken({ platformId, kind: 'canvas', baseUrl: 'https://school.instructure.com', token: 'canvas-token' });
    const { authorizeUrl } = await service.startCanvasOAuth({ platformId, baseUrl: 'https://school.instructure.com', clientId: '10000000000012', clientSecret: 'dev-key-secret', redirectUri: 'https://tool.example/cb' });
    expect(await service.get(platformId)).toMatchObject({ authType: 'token', status: 'ok' });
    await expect(service.finishCanvasOAuth({ state: new URL(authorizeUrl).searchParams.get('state')!, code: 'bad-code' })).rejects.toMatchObject({ code: 'LMS_TOKEN_INVALID' });
    expect(await service.get(platformId)).toMatchObject({ authType: 'token', status: 'ok' });
  });
});

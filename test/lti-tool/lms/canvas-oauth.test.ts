/** RFC 6749 §4.1 / §6 with a Canvas developer API key against the simulated Canvas: authorize URL, admin approval, code exchange, refresh, Canvas's errors. */
import { afterEach, describe, expect, test } from 'vitest';
import { authorizeUrl, exchangeCode, refreshAccessToken } from '../../../lti-tool/src/lms/canvas-oauth.ts';
import { createCanvasSource } from '../../../lti-tool/src/lms/canvas-source.ts';
import { ALL_CANVAS_API_SCOPES, CANVAS_API_SCOPES } from '../../../lti-tool/src/lms/canvas-scopes.ts';
import { LmsError } from '../../../lti-tool/src/lms/lms-source.ts';
import { Browser, startPlatform, type SimPlatform, type SimUser } from '../../platform-sim/index.ts';

const CALLBACK = 'https://tool.example/admin/lms/canvas/callback';
let sim: SimPlatform | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function setup(scopes?: string[]): Promise<{ sim: SimPlatform; admin: SimUser; clientId: string; clientSecret: string }> {
  sim = await startPlatform({ flavour: 'canvas' });
  const admin = sim.addUser({ name: 'Ada Admin' });
  sim.canvas!.addAccountAdmin(admin.id);
  sim.canvas!.signIn(admin.id);
  return { sim, admin, ...sim.canvas!.registerDeveloperKey({ redirectUris: [CALLBACK], ...(scopes ? { scopes } : {}) }) };
}

/** The admin's browser: opens the authorize URL, clicks Authorize, and returns where Canvas sends it back. */
async function approve(url: string): Promise<URL> {
  const browser = new Browser();
  const first = await browser.navigate(url, { follow: false });
  const location = new URL(first.headers.get('location')!, url);
  // Straight back to the tool (auto-approval or an error), or to Canvas's confirm page.
  if (location.toString().startsWith(CALLBACK)) return location;
  const page = await browser.navigate(location.toString());
  const form = page.forms.find((candidate) => candidate.action.endsWith('/login/oauth2/accept'))!;
  const answer = await browser.navigate(form.action, { method: 'POST', form: form.entries, follow: false });
  return new URL(answer.headers.get('location')!);
}

async function refused(promise: Promise<unknown>): Promise<LmsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LmsError)) throw new Error(`expected an LmsError, got ${String(error)}`);
  return error;
}

describe('Canvas OAuth2 (developer API key)', () => {
  test('authorize → admin approves → code exchanged for access + refresh token; the source works with it; refresh replaces the access token', async () => {
    const { sim, clientId, clientSecret } = await setup();
    const url = authorizeUrl({ baseUrl: sim.baseUrl, clientId, redirectUri: CALLBACK, state: 'st-123' });
    expect(new URL(url).searchParams.get('scope')).toBe(ALL_CANVAS_API_SCOPES.join(' '));
    const back = await approve(url);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('st-123');
    const tokens = await exchangeCode({ baseUrl: sim.baseUrl, clientId, clientSecret, redirectUri: CALLBACK, code: back.searchParams.get('code')! });
    expect(tokens).toMatchObject({ expiresIn: 3600, user: { name: 'Ada Admin' } });
    expect(tokens.refreshToken).toBeTruthy();
    let current = tokens.accessToken;
    const source = createCanvasSource({ baseUrl: sim.baseUrl, accessToken: async () => current });
    expect(await source.check()).toMatchObject({ ok: true, actingAs: 'Ada Admin' });

    const refreshed = await refreshAccessToken({ baseUrl: sim.baseUrl, clientId, clientSecret, refreshToken: tokens.refreshToken! });
    expect(refreshed.refreshToken).toBeUndefined();
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect((await source.check()).ok).toBe(false);
    current = refreshed.accessToken;
    expect((await source.check()).ok).toBe(true);
  });

  test('invalid_grant: a code used twice; a wrong secret is invalid_client; a revoked grant cannot be refreshed — all LMS_TOKEN_INVALID with the reason', async () => {
    const { sim, clientId, clientSecret } = await setup();
    sim.canvas!.autoApprove(true);
    const code = (await approve(authorizeUrl({ baseUrl: sim.baseUrl, clientId, redirectUri: CALLBACK, state: 's' }))).searchParams.get('code')!;
    const wrongSecret = await refused(exchangeCode({ baseUrl: sim.baseUrl, clientId, clientSecret: 'wrong', redirectUri: CALLBACK, code }));
    expect(wrongSecret).toMatchObject({ code: 'LMS_TOKEN_INVALID', details: { status: 401 } });
    expect(wrongSecret.message).toContain('invalid client');
    const tokens = await exchangeCode({ baseUrl: sim.baseUrl, clientId, clientSecret, redirectUri: CALLBACK, code });
    const again = await refused(exchangeCode({ baseUrl: sim.baseUrl, clientId, clientSecret, redirectUri: CALLBACK, code }));
    expect(again).toMatchObject({ code: 'LMS_TOKEN_INVALID', details: { status: 400 } });
    expect(again.message).toContain('authorization_code not found');
    sim.canvas!.revokeToken(tokens.refreshToken!);
    const gone = await refused(refreshAccessToken({ baseUrl: sim.baseUrl, clientId, clientSecret, refreshToken: tokens.refreshToken! }));
    expect(gone.code).toBe('LMS_TOKEN_INVALID');
    expect(gone.message).toContain('refresh_token not found');
  });

  test('a key with Enforce Scopes: the scopes the tool asks for are granted; a key lacking one answers invalid_scope to the callback', async () => {
    const { sim, clientId, clientSecret } = await setup([...ALL_CANVAS_API_SCOPES]);
    const back = await approve(authorizeUrl({ baseUrl: sim.baseUrl, clientId, redirectUri: CALLBACK, state: 's' }));
    const tokens = await exchangeCode({ baseUrl: sim.baseUrl, clientId, clientSecret, redirectUri: CALLBACK, code: back.searchParams.get('code')! });
    expect(await createCanvasSource({ baseUrl: sim.baseUrl, accessToken: async () => tokens.accessToken }).check()).toMatchObject({ ok: true, missing: [] });

    const narrow = sim.canvas!.registerDeveloperKey({ redirectUris: [CALLBACK], scopes: [CANVAS_API_SCOPES.self] });
    const refusedBack = await approve(authorizeUrl({ baseUrl: sim.baseUrl, clientId: narrow.clientId, redirectUri: CALLBACK, state: 's2' }));
    expect(refusedBack.searchParams.get('error')).toBe('invalid_scope');
    expect(refusedBack.searchParams.get('state')).toBe('s2');
  });
});

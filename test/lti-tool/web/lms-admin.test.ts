/**
 * Issue 7, the admin side: connecting a platform registration to its LMS's REST API over the real
 * tool app and HTTP (admin cookie + CSRF token), with the real LmsConnections over a scripted LMS.
 * A secret is never written into any page; a failed check keeps what was typed (except the secret)
 * and names exactly what failed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import { fakeLms, type FakeLms } from './lms-fake-lms.ts';

const GOOD = 'moodle-token-0123456789abcdef';
const PARTIAL = 'moodle-token-partial-0123456789';
const REVOKED = 'moodle-token-revoked-0123456789';
const MISSING = ['core_completion_get_course_completion_status', 'gradereport_user_get_grade_items'];
const CANVAS_SECRET = 'canvas-developer-key-secret-0123456789';

describe('admin: LMS connections per platform registration', () => {
  let tool: ToolServer;
  let lms: FakeLms;
  let cookie: string;
  let csrf: string;
  let moodle: PlatformRecord;
  let canvas: PlatformRecord;
  /** Every page the admin saw, to prove no secret ever appears in one. */
  const pages: string[] = [];

  const get = async (path: string) => {
    const response = await fetch(`${tool.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
    const html = await response.text();
    pages.push(html);
    return { status: response.status, html, location: response.headers.get('location') };
  };
  const post = async (path: string, fields: Record<string, string>, withCsrf = true) => {
    const response = await fetch(`${tool.baseUrl}${path}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf: withCsrf ? csrf : 'forged' }), redirect: 'manual' });
    const html = await response.text();
    pages.push(html);
    return { status: response.status, html, location: response.headers.get('location') };
  };
  const platformPath = (p: PlatformRecord) => `/admin/lms/platforms/${encodeURIComponent(p.id)}`;

  beforeAll(async () => {
    tool = await startToolServer(STORE_KINDS[0]!, {
      appDeps: (runtime) => {
        lms = fakeLms(runtime);
        return { ...runtime, lms: lms.connections };
      },
    });
    const signIn = await fetch(`${tool.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: tool.runtime.lti.adminToken }), redirect: 'manual' });
    cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const endpoints = (base: string) => ({ authUrl: `${base}/auth`, tokenUrl: `${base}/token`, jwksUrl: `${base}/jwks`, registeredBy: 'manual' as const });
    moodle = await tool.runtime.store.ltiPlatforms.upsert({ name: 'Campus Moodle', issuer: 'https://moodle.example.edu', clientId: 'm-1', deploymentIds: ['1'], ...endpoints('https://moodle.example.edu') });
    canvas = await tool.runtime.store.ltiPlatforms.upsert({ name: 'Campus Canvas', issuer: 'https://canvas.instructure.com', clientId: '10000000000001', deploymentIds: ['1:abc'], ...endpoints('https://sso.canvaslms.com') });
    csrf = /name="csrf" value="([^"]+)"/.exec((await get(platformPath(moodle))).html)![1]!;
    lms.tokens.set(GOOD, []);
    lms.tokens.set(PARTIAL, MISSING);
    lms.tokens.set(REVOKED, []);
  });
  afterAll(async () => {
    // Whatever happened above, no page ever carried a token or secret.
    for (const html of pages) for (const secret of [GOOD, PARTIAL, REVOKED, CANVAS_SECRET, 'canvas-refresh-1', 'canvas-access-1']) expect(html).not.toContain(secret);
    await tool?.close();
  });

  test('when the admin is not signed in, then the LMS pages show only the sign-in form; the platforms page links to them', async () => {
    const anonymous = await fetch(`${tool.baseUrl}/admin/lms`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('Admin token');
    const forged = await post(`${platformPath(moodle)}/token`, { kind: 'moodle', base_url: 'https://moodle.example.edu', token: GOOD }, false);
    expect(forged.status).toBe(403);
    expect(await lms.connections.get(moodle.id)).toBeUndefined();
    const admin = await get('/admin');
    expect(admin.html).toContain('href="/admin/lms"');
    expect(admin.html).toContain(`href="${platformPath(moodle)}"`);
    const list = await get('/admin/lms');
    expect(list.status).toBe(200);
    expect(list.html).toMatch(new RegExp(`data-platform="${moodle.id}"[\\s\\S]*?data-lms-state="none"`));
  });

  test('when a Moodle token is refused, then the page says so, keeps the site URL but not the token, and nothing is stored', async () => {
    const page = await get(platformPath(moodle));
    expect(page.html).toContain('value="https://moodle.example.edu"');
    const refused = await post(`${platformPath(moodle)}/token`, { kind: 'moodle', base_url: 'https://moodle.example.edu/lms/', token: 'not-a-token-anyone-issued' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('does not accept this token (invalid token)');
    expect(refused.html).toContain('value="https://moodle.example.edu/lms/"');
    expect(refused.html).not.toContain('not-a-token-anyone-issued');
    expect(refused.html).toContain('<input name="token" type="password" required autocomplete="off"/>');
    expect(await lms.connections.get(moodle.id)).toBeUndefined();
    const insecure = await post(`${platformPath(moodle)}/token`, { kind: 'moodle', base_url: 'http://moodle.example.edu', token: GOOD });
    expect(insecure.status).toBe(400);
    expect(insecure.html).toContain('only https');
    expect(await lms.connections.get(moodle.id)).toBeUndefined();
  });

  test('when the token lacks web-service functions, then each missing function is named on the page and in the list, and the connection is stored as an error', async () => {
    const partial = await post(`${platformPath(moodle)}/token`, { kind: 'moodle', base_url: 'https://moodle.example.edu', token: PARTIAL });
    expect(partial.status).toBe(400);
    // Named in the failure notice itself (the page also lists every function the service needs).
    const notice = /data-notice="failed">([\s\S]*?)<\/div>/.exec(partial.html)?.[1] ?? '';
    for (const name of MISSING) expect(notice).toContain(`<code>${name}</code>`);
    expect(notice).not.toContain('core_course_get_contents');
    expect(await lms.connections.get(moodle.id)).toMatchObject({ status: 'error', missing: MISSING });
    const list = await get('/admin/lms');
    expect(list.html).toMatch(new RegExp(`data-lms-state="error"[\\s\\S]*?data-lms-missing="true">${MISSING.join(', ')}<`));
  });

  test('when the token works, then the connection is ok and shows whom it acts as; "Test again" finds a revoked token; "Disconnect" removes it', async () => {
    const saved = await post(`${platformPath(moodle)}/token`, { kind: 'moodle', base_url: 'https://moodle.example.edu/', token: GOOD });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(platformPath(moodle));
    expect(await lms.connections.get(moodle.id)).toMatchObject({ status: 'ok', kind: 'moodle', baseUrl: 'https://moodle.example.edu', authType: 'token' });
    const page = await get(platformPath(moodle));
    expect(page.html).toMatch(/data-lms-state="ok"[^>]*>Connected to Moodle at https:\/\/moodle.example.edu, acting as Watcher Bot/);
    // The token input is empty: the saved token is never sent back.
    expect(page.html).not.toContain(GOOD);

    const works = await post(`${platformPath(moodle)}/recheck`, {});
    expect(works.status).toBe(200);
    expect(works.html).toContain('data-notice="ok"');
    lms.tokens.delete(GOOD);
    const revoked = await post(`${platformPath(moodle)}/recheck`, {});
    expect(revoked.status).toBe(400);
    expect(revoked.html).toContain('data-notice="failed"');
    expect(revoked.html).toContain('does not accept this token');
    expect(await lms.connections.get(moodle.id)).toMatchObject({ status: 'error' });
    expect((await get('/admin/lms')).html).toMatch(new RegExp(`data-platform="${moodle.id}"[\\s\\S]*?data-lms-state="error"`));

    const removed = await post(`${platformPath(moodle)}/remove`, {});
    expect(removed.status).toBe(303);
    expect(await lms.connections.get(moodle.id)).toBeUndefined();
    lms.tokens.set(GOOD, []);
  });

  test('Canvas OAuth2 with a developer key: the admin is sent to Canvas with a single-use state; a declined or replayed authorisation connects nothing; an approved one connects', async () => {
    const bad = await post(`${platformPath(canvas)}/canvas-oauth`, { base_url: 'ftp://canvas.example.edu', client_id: '10000000000042', client_secret: CANVAS_SECRET });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('value="10000000000042"');
    expect(bad.html).not.toContain(CANVAS_SECRET);

    const started = await post(`${platformPath(canvas)}/canvas-oauth`, { base_url: 'https://canvas.example.edu', client_id: '10000000000042', client_secret: CANVAS_SECRET });
    expect(started.status).toBe(200);
    const authorize = new URL(/id="authorize" href="([^"]+)"/.exec(started.html)![1]!.replaceAll('&amp;', '&'));
    expect(started.html).toContain('http-equiv="refresh"');
    expect(authorize.origin + authorize.pathname).toBe('https://canvas.example.edu/login/oauth2/auth');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${tool.baseUrl}/admin/lms/canvas/callback`);
    const state = authorize.searchParams.get('state')!;
    expect(await lms.connections.get(canvas.id)).toMatchObject({ status: 'authorize' });
    expect((await get(platformPath(canvas))).html).toContain('data-lms-state="authorize"');

    // Canvas's redirect carries no admin cookie (SameSite=Strict), so the callback works without one.
    const callback = (query: Record<string, string>) => fetch(`${tool.baseUrl}/admin/lms/canvas/callback?${new URLSearchParams(query)}`).then(async (r) => ({ status: r.status, html: await r.text() }));
    const declined = await callback({ error: 'access_denied', state });
    expect(declined.status).toBe(400);
    expect(declined.html).toContain('declined');
    expect(await lms.connections.get(canvas.id)).toMatchObject({ status: 'authorize' });

    lms.oauthCodes.set('code-1', { accessToken: 'canvas-access-1', refreshToken: 'canvas-refresh-1' });
    const approved = await callback({ state, code: 'code-1' });
    pages.push(approved.html);
    expect(approved.status).toBe(200);
    expect(approved.html).toContain('Canvas is connected');
    expect(approved.html).toContain(`href="${platformPath(canvas)}"`);
    expect(await lms.connections.get(canvas.id)).toMatchObject({ status: 'ok', kind: 'canvas', authType: 'oauth2', baseUrl: 'https://canvas.example.edu' });

    const replayed = await callback({ state, code: 'code-1' });
    expect(replayed.status).toBe(400);
    expect(replayed.html).toContain('expired or was already used');
    const list = await get('/admin/lms');
    expect(list.html).toMatch(new RegExp(`data-platform="${canvas.id}"[\\s\\S]*?Connected to Canvas at https://canvas.example.edu`));
  });
});

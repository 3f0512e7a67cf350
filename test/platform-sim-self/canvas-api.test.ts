/** The simulated Canvas REST API: auth errors as canvas-lms answers them, throttle headers, Link paging, module state, submissions, OAuth2, NRPS rlid. */
import { afterEach, describe, expect, test } from 'vitest';
import { Browser, CANVAS_SCOPES, NRPS_SCOPE, type CanvasSim } from '../platform-sim/index.ts';
import { accessToken, fixture, START, type Fixture } from './fixture.ts';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function get(f: Fixture, path: string, token?: string) {
  const response = await fetch(`${f.sim.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

async function canvasFixture(): Promise<{ f: Fixture; canvas: CanvasSim; token: string }> {
  f = await fixture('canvas');
  const canvas = f.sim.canvas!;
  return { f, canvas, token: canvas.issueToken(f.teacher.id) };
}

describe('Canvas REST API of the simulator', () => {
  test('the moodle flavour has no sim.canvas', async () => {
    f = await fixture('moodle');
    expect(f.sim.canvas).toBeUndefined();
  });

  test('users/self; revoked token → 401 with WWW-Authenticate; scopes; no permission → 401 without WWW-Authenticate', async () => {
    const { f, canvas, token } = await canvasFixture();
    const self = await get(f, '/api/v1/users/self', token);
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: Number(f.teacher.id), name: 'Tina Teacher' });
    expect(Number(self.headers.get('x-rate-limit-remaining'))).toBeLessThan(600);
    expect(self.headers.get('x-request-cost')).toBeTruthy();

    const learnerToken = canvas.issueToken(f.learner.id);
    const denied = await get(f, `/api/v1/courses/${f.course.id}/users`, learnerToken);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBeNull();
    expect(denied.body).toEqual({ status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] });

    const scoped = canvas.issueToken(f.teacher.id, { scopes: [CANVAS_SCOPES.self, CANVAS_SCOPES.users] });
    expect((await get(f, `/api/v1/courses/${f.course.id}/users`, scoped)).status).toBe(200);
    const noScope = await get(f, '/api/v1/courses/0/modules', scoped);
    expect(noScope).toMatchObject({ status: 401, body: { errors: [{ message: 'Insufficient scopes on access token.' }] } });
    expect((await get(f, '/api/v1/courses/0/users', scoped)).status).toBe(404);

    canvas.revokeToken(token);
    const revoked = await get(f, '/api/v1/users/self', token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer realm="canvas-lms"');
    expect(revoked.body).toEqual({ errors: [{ message: 'Invalid access token.' }] });
    const expiring = canvas.issueToken(f.teacher.id, { expiresInSeconds: 60 });
    f.advance(61);
    expect((await get(f, '/api/v1/users/self', expiring)).status).toBe(401);
  });

  test('lib/api.rb paging: per_page capped at 100, Link rel current/next/prev/first/last keeping the other parameters', async () => {
    const { f, token } = await canvasFixture();
    for (let i = 0; i < 11; i++) f.sim.enrol(f.course.id, f.sim.addUser({ name: `Student ${String(i).padStart(2, '0')} Example` }).id, 'Learner');
    const first = await get(f, `/api/v1/courses/${f.course.id}/users?enrollment_type[]=student&include[]=email&per_page=5`, token);
    expect((first.body as unknown[]).length).toBe(5);
    expect((first.body as { email?: string }[])[0]!.email).toMatch(/@example\.edu$/);
    const link = first.headers.get('link')!;
    const base = `${f.sim.baseUrl}/api/v1/courses/${f.course.id}/users?enrollment_type%5B%5D=student&include%5B%5D=email&`;
    expect(link).toBe([`<${base}page=1&per_page=5>; rel="current"`, `<${base}page=2&per_page=5>; rel="next"`, `<${base}page=1&per_page=5>; rel="first"`, `<${base}page=3&per_page=5>; rel="last"`].join(','));
    const third = await get(f, `/api/v1/courses/${f.course.id}/users?enrollment_type[]=student&page=3&per_page=5`, token);
    expect((third.body as unknown[]).length).toBe(2);
    expect(third.headers.get('link')).not.toContain('rel="next"');
    expect(third.headers.get('link')).toContain('rel="prev"');
    const big = await get(f, `/api/v1/courses/${f.course.id}/users?per_page=1000`, token);
    expect(big.headers.get('link')).toContain('per_page=100>');
  });

  test('module state derives from requirements (all, or requirement_count 1), prerequisites lock, scores meet min_score', async () => {
    const { f, canvas, token } = await canvasFixture();
    const quiz = canvas.addAssignment(f.course.id, { name: 'Quiz', pointsPossible: 10 });
    const intro = canvas.addModule(f.course.id, { name: 'Intro', items: [{ title: 'Read me', requirement: { type: 'must_view' } }, { title: 'Quiz', assignmentId: quiz.id, requirement: { type: 'min_score', minScore: 7 } }] });
    const any = canvas.addModule(f.course.id, { name: 'Choose one', requirementCount: 1, prerequisiteModuleIds: [intro.id], items: [{ title: 'A', requirement: { type: 'must_mark_done' } }, { title: 'B', requirement: { type: 'must_mark_done' } }] });
    const path = `/api/v1/courses/${f.course.id}/modules?include[]=items&student_id=${f.learner.id}`;
    const states = async () => ((await get(f, path, token)).body as { state: string }[]).map((m) => m.state);
    expect(await states()).toEqual(['unlocked', 'locked']);
    canvas.completeRequirement(intro.items[0]!.id, f.learner.id);
    canvas.setScore(quiz.id, f.learner.id, 6);
    expect(await states()).toEqual(['started', 'locked']);
    canvas.setScore(quiz.id, f.learner.id, 8);
    canvas.completeRequirement(any.items[1]!.id, f.learner.id);
    const modules = (await get(f, path, token)).body as { state: string; completed_at: string | null; items: { completion_requirement: { type: string; min_score?: number; completed: boolean } }[] }[];
    expect(modules.map((m) => m.state)).toEqual(['completed', 'completed']);
    expect(modules[0]!.completed_at).toBe(new Date(START).toISOString());
    expect(modules[0]!.items[1]!.completion_requirement).toEqual({ type: 'min_score', min_score: 7, completed: true });
    expect(modules[1]!.items.map((i) => i.completion_requirement.completed)).toEqual([false, true]);
    const teacherView = (await get(f, `/api/v1/courses/${f.course.id}/modules?include[]=items`, token)).body as Record<string, unknown>[];
    expect(teacherView[0]).not.toHaveProperty('state');
    expect((await get(f, `/api/v1/courses/${f.course.id}/modules?student_id=${f.teacher.id}`, token)).status).toBe(404);
  });

  test('students/submissions: a row per student and assignment; score, grade, excused, workflow_state', async () => {
    const { f, canvas, token } = await canvasFixture();
    const other = f.sim.addUser({ name: 'Omar Other' });
    f.sim.enrol(f.course.id, other.id, 'Learner');
    const a = canvas.addAssignment(f.course.id, { name: 'Essay', pointsPossible: 20 });
    const b = canvas.addAssignment(f.course.id, { name: 'Quiz', pointsPossible: 10 });
    canvas.setScore(a.id, f.learner.id, 17);
    canvas.setScore(a.id, other.id, null, { excused: true });
    const rows = (await get(f, `/api/v1/courses/${f.course.id}/students/submissions?student_ids[]=all&assignment_ids[]=${a.id}`, token)).body as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.user_id === Number(f!.learner.id))).toMatchObject({ assignment_id: Number(a.id), score: 17, grade: '17', workflow_state: 'graded', excused: false });
    expect(rows.find((r) => r.user_id === Number(other.id))).toMatchObject({ score: null, grade: null, excused: true });
    const all = (await get(f, `/api/v1/courses/${f.course.id}/students/submissions?student_ids[]=all`, token)).body as Record<string, unknown>[];
    expect(all.filter((r) => r.assignment_id === Number(b.id)).map((r) => r.workflow_state)).toEqual(['unsubmitted', 'unsubmitted']);
  });

  test('throttle: an empty bucket answers 403 Forbidden (Rate Limit Exceeded) as text, and drains with time; failNext answers 503', async () => {
    const { f, canvas, token } = await canvasFixture();
    canvas.setRemaining(token, 0);
    const limited = await get(f, '/api/v1/users/self', token);
    expect(limited.status).toBe(403);
    expect(limited.body).toBe('403 Forbidden (Rate Limit Exceeded)\n');
    f.advance(1);
    const after = await get(f, '/api/v1/users/self', token);
    expect(after.status).toBe(200);
    expect(Number(after.headers.get('x-rate-limit-remaining'))).toBeCloseTo(10 - 0.01, 2);
    canvas.failNext(1);
    expect((await get(f, '/api/v1/users/self', token)).status).toBe(503);
    expect((await get(f, '/api/v1/users/self', token)).status).toBe(200);
    expect(canvas.apiLog().map((e) => e.status)).toEqual([403, 200, 503, 200]);
  });

  test('OAuth2: authorize → confirm page → code → token with refresh; refresh gives a new access token; errors as Canvas answers them', async () => {
    const { f, canvas } = await canvasFixture();
    const redirectUri = 'https://tool.example/admin/lms/canvas/callback';
    const key = canvas.registerDeveloperKey({ redirectUris: [redirectUri] });
    canvas.signIn(f.teacher.id);
    const browser = new Browser();
    const auth = `${f.sim.baseUrl}/login/oauth2/auth?client_id=${key.clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirectUri)}&state=s1`;
    const page = await browser.navigate(auth);
    expect(page.html).toContain('Authorize');
    const form = page.forms.find((candidate) => candidate.id === 'oauth2_accept_form')!;
    const accepted = await browser.navigate(form.action, { method: 'POST', form: form.entries, follow: false });
    const back = new URL(accepted.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const token = async (form: Record<string, string>) => {
      const r = await fetch(`${f!.sim.baseUrl}/login/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const wrongSecret = await token({ grant_type: 'authorization_code', client_id: key.clientId, client_secret: 'nope', redirect_uri: redirectUri, code });
    expect(wrongSecret).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'invalid client' } });
    const granted = await token({ grant_type: 'authorization_code', client_id: key.clientId, client_secret: key.clientSecret, redirect_uri: redirectUri, code });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { id: Number(f.teacher.id), name: 'Tina Teacher' } });
    expect((await get(f, '/api/v1/users/self', granted.body.access_token as string)).status).toBe(200);
    const replay = await token({ grant_type: 'authorization_code', client_id: key.clientId, client_secret: key.clientSecret, redirect_uri: redirectUri, code });
    expect(replay).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'authorization_code not found' } });
    const refreshed = await token({ grant_type: 'refresh_token', client_id: key.clientId, client_secret: key.clientSecret, refresh_token: granted.body.refresh_token as string });
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect((await get(f, '/api/v1/users/self', refreshed.body.access_token as string)).status).toBe(200);
    expect((await get(f, '/api/v1/users/self', granted.body.access_token as string)).status).toBe(401);
    canvas.revokeToken(granted.body.refresh_token as string);
    expect((await token({ grant_type: 'refresh_token', client_id: key.clientId, client_secret: key.clientSecret, refresh_token: granted.body.refresh_token as string })).body).toEqual({ error: 'invalid_request', error_description: 'refresh_token not found' });
    const badRedirect = await get(f, `/login/oauth2/auth?client_id=${key.clientId}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    expect(badRedirect).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('NRPS rlid (Canvas): each member carries the resource link launch message with $Canvas.user.id expanded; without rlid no message', async () => {
    f = await fixture('canvas');
    const token = await accessToken(f, NRPS_SCOPE);
    const url = new URL(f.sim.urls.memberships(f.course.id, f.clientId));
    const plain = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as { members: Record<string, unknown>[] };
    expect(plain.members[0]).not.toHaveProperty('message');
    url.searchParams.set('rlid', f.activity.resourceLinkId);
    const withLink = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as { members: { user_id: string; message: Record<string, unknown>[] }[] };
    const learner = withLink.members.find((m) => m.user_id === f!.learner.ltiId)!;
    expect(learner.message[0]!['https://purl.imsglobal.org/spec/lti/claim/message_type']).toBe('LtiResourceLinkRequest');
    expect(learner.message[0]!['https://purl.imsglobal.org/spec/lti/claim/custom']).toMatchObject({ uid: f.learner.id, badge: 'dl-1' });
    url.searchParams.set('rlid', 'no-such-link');
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});

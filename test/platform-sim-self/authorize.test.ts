/** Security Framework 1.0 §5.1.1.2: the simulator's authorization endpoint checks the tool's authentication request exactly. */
import { afterEach, describe, expect, test } from 'vitest';
import { fixture, type Fixture } from './fixture.ts';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function launchWith(current: Fixture, overrides: Record<string, string | null>) {
  current.tool.authOverrides = overrides;
  return current.sim.launch({ clientId: current.clientId, userId: current.learner.id, courseId: current.course.id, activityId: current.activity.id });
}

describe('Moodle flavour: mod/lti/auth.php answers some errors on its own page and posts the others back', () => {
  test.each([
    [{ scope: 'openid profile' }, 'invalid_scope'],
    [{ response_type: 'code' }, 'unsupported_response_type'],
    [{ nonce: null }, 'invalid_request'],
    [{ lti_message_hint: 'forged' }, 'invalid_request'],
    [{ redirect_uri: 'REGISTERED?variant=1' }, 'invalid_request'],
  ] as [Record<string, string | null>, string][])('when the request has %o, then Moodle shows its error page (%s) and the tool receives nothing', async (overrides, error) => {
    f = await fixture('moodle');
    const changes = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, v?.replace('REGISTERED', f!.tool.urls.launch) ?? null]));
    const page = await launchWith(f, changes);
    expect(page.status).toBe(400);
    expect(page.url.startsWith(f.sim.urls.authorize)).toBe(true);
    expect(page.html).toContain(`data-error="${error}"`);
    expect(f.tool.posts).toHaveLength(0);
  });

  test.each([
    [{ response_mode: 'query' }, 'invalid_request', 'Invalid response_mode'],
    [{ response_mode: null }, 'invalid_request', 'Missing response_mode'],
    [{ prompt: 'login' }, 'invalid_request', 'Invalid prompt'],
    [{ client_id: 'someone-else' }, 'unauthorized_client', undefined],
    [{ login_hint: '999' }, 'access_denied', undefined],
  ] as [Record<string, string | null>, string, string | undefined][])('when the request has %o, then the tool receives error=%s with its state and no id_token', async (overrides, error, description) => {
    f = await fixture('moodle');
    await launchWith(f, overrides);
    expect(f.tool.posts.at(-1)).toEqual({ error, ...(description ? { error_description: description } : {}), state: expect.any(String) });
  });

  test('when the authentication request is sent a second time, then the message hint is spent and Moodle shows its error page', async () => {
    f = await fixture('moodle');
    const page = await launchWith(f, {});
    const authorize = page.trail.find((step) => step.url.startsWith(f!.sim.urls.authorize))!.url;
    const again = await page.browser.navigate(authorize, { embeddedIn: f.sim.baseUrl, initiator: f.tool.baseUrl });
    expect(again.status).toBe(400);
    expect(f.tool.posts).toHaveLength(1);
    // What a replay test re-posts instead: the recorded form, byte for byte.
    const [sent] = f.sim.authorizationResponses();
    expect(sent).toEqual({ redirectUri: f.tool.urls.launch, fields: f.tool.posts[0] });
    await page.browser.navigate(sent!.redirectUri, { method: 'POST', form: sent!.fields, embeddedIn: f.sim.baseUrl, initiator: f.sim.baseUrl });
    expect(f.tool.posts).toHaveLength(2);
    expect(f.tool.posts[1]).toEqual(f.tool.posts[0]);
  });

  test('when the tool is still pending, then the launch is refused with unauthorized_client (assumed, see README)', async () => {
    f = await fixture('moodle');
    const reg = f.sim.registerToolManually({ loginUrl: f.tool.urls.login, redirectUris: [f.tool.urls.launch], jwksUrl: f.tool.urls.jwks, targetLinkUri: f.tool.urls.launch });
    (f.sim.tool(reg.clientId) as { status: string }).status = 'pending';
    const activity = f.sim.addActivity(f.course.id, { title: 'Pending tool link', clientId: reg.clientId });
    await f.sim.launch({ clientId: reg.clientId, userId: f.learner.id, courseId: f.course.id, activityId: activity.id });
    expect(f.tool.posts.at(-1)).toMatchObject({ error: 'unauthorized_client' });
    expect(f.tool.posts.at(-1)!.error_description).toContain('pending');
    f.sim.activateTool(reg.clientId);
    await f.sim.launch({ clientId: reg.clientId, userId: f.learner.id, courseId: f.course.id, activityId: activity.id });
    expect(f.tool.posts.at(-1)!.id_token).toBeDefined();
  });
});

describe('Moodle flavour with legacyMoodleAuth (releases before the auth.php redirect_uri fix)', () => {
  test('when the redirect_uri is not registered, then the error naming it is posted to that URI', async () => {
    f = await fixture('moodle', { legacyMoodleAuth: true });
    const unregistered = `${f.tool.urls.launch}?variant=1`;
    await launchWith(f, { redirect_uri: unregistered });
    expect(f.tool.posts.at(-1)).toMatchObject({ error: 'invalid_request', error_description: `Unregistered redirect_uri ${unregistered}` });
  });

  test('when the scope is wrong, then the error is posted back instead of shown by Moodle', async () => {
    f = await fixture('moodle', { legacyMoodleAuth: true });
    await launchWith(f, { scope: 'profile' });
    expect(f.tool.posts.at(-1)).toMatchObject({ error: 'invalid_scope' });
  });
});

describe('Canvas flavour', () => {
  test('when the redirect_uri is not registered, then Canvas shows its own error page and posts nothing to the tool', async () => {
    f = await fixture('canvas');
    const page = await launchWith(f, { redirect_uri: `${f.tool.urls.launch}?variant=1` });
    expect(page.status).toBe(400);
    expect(page.url.startsWith(f.sim.urls.authorize)).toBe(true);
    expect(page.html).toContain('data-error="invalid_request"');
    expect(f.tool.posts).toHaveLength(0);
  });

  test.each([
    [{ scope: 'openid profile' }, 'invalid_scope'],
    [{ response_mode: 'query' }, 'invalid_request'],
    [{ client_id: 'someone-else' }, 'unauthorized_client'],
    [{ login_hint: 'nobody' }, 'access_denied'],
  ] as [Record<string, string | null>, string][])('when the request has %o, then the tool receives error=%s', async (overrides, error) => {
    f = await fixture('canvas');
    await launchWith(f, overrides);
    expect(f.tool.posts.at(-1)).toMatchObject({ error, state: expect.any(String) });
  });

  test('when the request is valid but without prompt, then the launch still succeeds (prompt is optional)', async () => {
    f = await fixture('canvas');
    const page = await launchWith(f, { prompt: null });
    expect(page.html).toContain('data-launch="ok"');
  });
});

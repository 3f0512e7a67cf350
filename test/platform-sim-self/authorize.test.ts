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

describe('Moodle flavour posts authorization errors back to the redirect_uri', () => {
  test.each([
    [{ scope: 'openid profile' }, 'invalid_scope'],
    [{ response_type: 'code' }, 'unsupported_response_type'],
    [{ response_mode: 'query' }, 'invalid_request'],
    [{ prompt: 'login' }, 'invalid_request'],
    [{ nonce: null }, 'invalid_request'],
    [{ client_id: 'someone-else' }, 'unauthorized_client'],
    [{ login_hint: '999' }, 'access_denied'],
    [{ lti_message_hint: 'forged' }, 'invalid_request'],
  ] as [Record<string, string | null>, string][])('when the request has %o, then the tool receives error=%s and no id_token', async (overrides, error) => {
    f = await fixture('moodle');
    await launchWith(f, overrides);
    expect(f.tool.posts.at(-1)).toMatchObject({ error });
    expect(f.tool.posts.at(-1)!.id_token).toBeUndefined();
    expect(f.tool.posts.at(-1)!.state).toBeDefined();
  });

  test('when the redirect_uri is not registered exactly, then Moodle posts the error naming it to that URI', async () => {
    f = await fixture('moodle');
    const unregistered = `${f.tool.urls.launch}?variant=1`;
    await launchWith(f, { redirect_uri: unregistered });
    expect(f.tool.posts.at(-1)).toMatchObject({ error: 'invalid_request', error_description: `Unregistered redirect_uri (${unregistered})` });
  });

  test('when the tool is still pending, then the launch is refused with unauthorized_client', async () => {
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

describe('Canvas flavour', () => {
  test('when the redirect_uri is not registered, then Canvas shows its own error page and posts nothing to the tool', async () => {
    f = await fixture('canvas');
    const page = await launchWith(f, { redirect_uri: `${f.tool.urls.launch}?variant=1` });
    expect(page.status).toBe(400);
    expect(page.url.startsWith(f.sim.urls.authorize)).toBe(true);
    expect(page.html).toContain('data-error="invalid_request"');
    expect(f.tool.posts).toHaveLength(0);
  });

  test('when the request is valid but without prompt, then the launch still succeeds (prompt is optional)', async () => {
    f = await fixture('canvas');
    const page = await launchWith(f, { prompt: null });
    expect(page.html).toContain('data-launch="ok"');
  });
});

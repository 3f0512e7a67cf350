import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import { errorCodeOf } from './launch-flow.ts';

/** A platform's Dynamic Registration endpoints; `config` lets a test break the OpenID configuration. */
async function startRegistrar() {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const received: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  const state = {
    config: {} as Record<string, unknown>,
  };
  state.config = {
    issuer: base,
    authorization_endpoint: `${base}/auth`,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks`,
    registration_endpoint: `${base}/register`,
    scopes_supported: ['openid'],
    'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.5' },
  };
  server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid-configuration') return res.end(JSON.stringify(state.config));
      if (req.url === '/register' && req.method === 'POST') {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        return res.end(JSON.stringify({ client_id: 'abcdefghijklmno', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '7' } }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return { base, state, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(STORE_KINDS)('registration and administration on %s', (kind) => {
  let tool: ToolServer;
  let registrar: Awaited<ReturnType<typeof startRegistrar>>;
  beforeAll(async () => {
    tool = await startToolServer(kind);
    registrar = await startRegistrar();
  });
  afterAll(async () => {
    await tool.close();
    await registrar.close();
  });
  const register = () => fetch(`${tool.baseUrl}/lti/register?${new URLSearchParams({ openid_configuration: `${registrar.base}/openid-configuration`, registration_token: 'reg-token' })}`);

  test('Dynamic Registration 1.0 §3.4: the tool posts its configuration with the registration token, stores issuer + client_id + deployment, and tells a Moodle admin to activate the Pending tool', async () => {
    const response = await register();
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('Pending');
    expect(html).toContain('<script src="/assets/lti-close.js"');
    const { auth, body } = registrar.received.at(-1)!;
    expect(auth).toBe('Bearer reg-token');
    expect(body).toMatchObject({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: `${tool.baseUrl}/lti/login`,
      redirect_uris: [`${tool.baseUrl}/lti/launch`],
      jwks_uri: `${tool.baseUrl}/lti/jwks.json`,
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(String(body.scope).split(' ')).toEqual(expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly']));
    const toolConfiguration = body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as { domain: string; messages: { type: string }[] };
    expect(toolConfiguration.domain).toBe(new URL(tool.baseUrl).host);
    expect(toolConfiguration.messages.map((m) => m.type)).toContain('LtiDeepLinkingRequest');
    const platform = await tool.runtime.store.ltiPlatforms.byIssuerAndClientId(registrar.base, 'abcdefghijklmno');
    expect(platform).toMatchObject({ authUrl: `${registrar.base}/auth`, jwksUrl: `${registrar.base}/jwks`, registeredBy: 'dynamic', deploymentIds: ['7'] });
    const close = await (await fetch(`${tool.baseUrl}/assets/lti-close.js`)).text();
    expect(close).toContain('org.imsglobal.lti.close');
  });

  test('Dynamic Registration 1.0 §3.5.1: when the configuration sends the registration to another site, then nothing is registered', async () => {
    const before = registrar.received.length;
    registrar.state.config = { ...registrar.state.config, registration_endpoint: 'https://elsewhere.example/register' };
    const response = await register();
    expect(errorCodeOf(await response.text())).toBe('LTI_REGISTRATION_INVALID');
    expect(registrar.received.length).toBe(before);
    registrar.state.config = { ...registrar.state.config, registration_endpoint: `${registrar.base}/register`, issuer: 'https://other-lms.example' };
    expect(errorCodeOf(await (await register()).text())).toBe('LTI_REGISTRATION_INVALID');
    registrar.state.config = { ...registrar.state.config, issuer: registrar.base };
  });

  test('when the registration URL is opened without openid_configuration, then the page explains where to paste it', async () => {
    const response = await fetch(`${tool.baseUrl}/lti/register`);
    expect(errorCodeOf(await response.text())).toBe('LTI_REGISTRATION_INVALID');
  });

  test('the tool JWKS publishes RS256 keys, and after rotation both the new and the previous key', async () => {
    const first = (await (await fetch(`${tool.baseUrl}/lti/jwks.json`)).json()) as { keys: { kid: string; alg: string; kty: string; d?: string }[] };
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' });
    expect(first.keys[0]!.d).toBeUndefined();
    await tool.runtime.lti.toolKeys.rotate();
    const second = (await (await fetch(`${tool.baseUrl}/lti/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(second.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([first.keys[0]!.kid]));
    expect(second.keys).toHaveLength(2);
    // The issuer's credential keys are a separate purpose and unaffected.
    const issuerJwks = (await (await fetch(`${tool.baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(issuerJwks.keys.map((k) => k.kid)).not.toContain(first.keys[0]!.kid);
  });

  test('Canvas developer key JSON carries the login, launch and JWKS URLs, AGS/NRPS scopes and the Canvas custom fields', async () => {
    const config = (await (await fetch(`${tool.baseUrl}/lti/canvas.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      oidc_initiation_url: `${tool.baseUrl}/lti/login`,
      target_link_uri: `${tool.baseUrl}/lti/launch`,
      public_jwk_url: `${tool.baseUrl}/lti/jwks.json`,
      custom_fields: { canvas_user_id: '$Canvas.user.id', canvas_course_id: '$Canvas.course.id' },
    });
    expect(config.scopes).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/lineitem');
  });

  test('when the admin page is opened without the admin token, then only the sign-in form is shown; with it, a platform can be added with the CSRF token', async () => {
    const anonymous = await fetch(`${tool.baseUrl}/admin`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const wrong = await fetch(`${tool.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }), redirect: 'manual' });
    expect(wrong.status).toBe(401);
    const signIn = await fetch(`${tool.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: tool.runtime.lti.adminToken }), redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(signIn.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(cookie).not.toContain(tool.runtime.lti.adminToken);
    const page = await (await fetch(`${tool.baseUrl}/admin`, { headers: { cookie } })).text();
    expect(page).toContain(`${tool.baseUrl}/lti/register`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const fields = { name: 'Manual Moodle', issuer: 'https://moodle.example.edu', client_id: 'manual-1', deployment_ids: '3\n4', auth_url: 'https://moodle.example.edu/mod/lti/auth.php', token_url: 'https://moodle.example.edu/mod/lti/token.php', jwks_url: 'https://moodle.example.edu/mod/lti/certs.php' };
    const forged = await fetch(`${tool.baseUrl}/admin/platforms`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf: 'x' }), redirect: 'manual' });
    expect(forged.status).toBe(403);
    const added = await fetch(`${tool.baseUrl}/admin/platforms`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf }), redirect: 'manual' });
    expect(added.status).toBe(303);
    expect(await tool.runtime.store.ltiPlatforms.byIssuerAndClientId('https://moodle.example.edu', 'manual-1')).toMatchObject({ deploymentIds: ['3', '4'], registeredBy: 'manual' });
    const bad = await fetch(`${tool.baseUrl}/admin/platforms`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, auth_url: 'http://moodle.example.edu/auth', csrf }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('only https');
    const keysBefore = (await tool.runtime.lti.toolKeys.list()).length;
    const rotated = await fetch(`${tool.baseUrl}/admin/lti-keys/rotate`, { method: 'POST', headers: { authorization: `Bearer ${tool.runtime.lti.adminToken}` }, redirect: 'manual' });
    expect(rotated.status).toBe(303);
    expect((await tool.runtime.lti.toolKeys.list()).length).toBe(keysBefore + 1);
    const unsigned = await fetch(`${tool.baseUrl}/admin/lti-keys/rotate`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ csrf: 'x' }), redirect: 'manual' });
    expect(unsigned.status).toBe(403);
  });

  test('microcred platform add/list: two registrations of one issuer (Canvas shares its iss) are kept apart by client_id, each with several deployments', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), fetch, stdin: process.stdin, env: tool.env };
    const add = (clientId: string, deployments: string[]) =>
      runCli(['platform', 'add', '--issuer', 'https://canvas.instructure.com', '--client-id', clientId, ...deployments.flatMap((d) => ['--deployment-id', d]), '--auth-url', 'https://sso.canvaslms.com/api/lti/authorize_redirect', '--token-url', 'https://sso.canvaslms.com/login/oauth2/token', '--jwks-url', 'https://sso.canvaslms.com/api/lti/security/jwks', '--name', `Canvas ${clientId}`], io);
    expect(await add('10000000000001', ['1:abc', '2:def'])).toBe(0);
    expect(await add('10000000000002', ['9:xyz'])).toBe(0);
    expect(await runCli(['platform', 'add', '--issuer', 'https://canvas.instructure.com'], io)).toBe(2);
    expect(err.at(-1)).toContain('Client id is required');
    expect(await runCli(['platform', 'list'], io)).toBe(0);
    expect(out.at(-1)).toContain('client id 10000000000001, deployments 1:abc, 2:def');
    expect(out.at(-1)).toContain('client id 10000000000002, deployments 9:xyz');
    const canvases = await tool.runtime.store.ltiPlatforms.byIssuer('https://canvas.instructure.com');
    expect(canvases.map((p) => p.clientId)).toEqual(['10000000000001', '10000000000002']);
  });
});

/** LTI Dynamic Registration 1.0 §3.3–§3.6 on the simulator: the admin's browser, the configuration and the registration endpoint. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startPlatform, type SimPlatform } from '../platform-sim/index.ts';
import { startMiniTool, type MiniTool } from './mini-tool.ts';

let sim: SimPlatform | undefined;
let tool: MiniTool | undefined;
let capture: Server | undefined;
afterEach(async () => {
  await sim?.close();
  await tool?.close();
  capture?.closeAllConnections();
  await new Promise((resolve) => (capture ? capture.close(resolve) : resolve(undefined)));
  sim = tool = capture = undefined;
});

const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** A registration page that only records what the platform passed it. */
async function capturingPage(): Promise<{ url: string; seen: Record<string, string>[] }> {
  const seen: Record<string, string>[] = [];
  capture = createServer((req, res) => {
    seen.push(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
    res.setHeader('content-type', 'text/html');
    res.end('<p>Nothing registered here.</p>');
  });
  await new Promise<void>((resolve) => capture!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(capture.address() as AddressInfo).port}/register`, seen };
}

function registration(toolUrl: string, changes: Record<string, unknown> = {}, configChanges: Record<string, unknown> = {}) {
  const host = new URL(toolUrl).host;
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${toolUrl}/login`,
    redirect_uris: [`${toolUrl}/launch`],
    client_name: 'Tool',
    jwks_uri: `${toolUrl}/jwks.json`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score https://example.com/not-offered',
    [TOOL_CONFIG]: { domain: host, target_link_uri: `${toolUrl}/launch`, claims: ['sub', 'name', 'made_up'], ...configChanges },
    ...changes,
  };
}

describe.each(['moodle', 'canvas'] as const)('%s flavour', (flavour) => {
  test('§3.4 the OpenID configuration names every endpoint and the platform configuration', async () => {
    sim = await startPlatform({ flavour });
    const config = (await (await fetch(sim.urls.openidConfiguration)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: sim.issuer,
      authorization_endpoint: sim.urls.authorize,
      token_endpoint: sim.urls.token,
      jwks_uri: sim.urls.jwks,
      registration_endpoint: sim.urls.registration,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: flavour },
    });
  });

  test('§3.3 when the admin registers a tool, then the platform records it with granted scopes and claims', async () => {
    sim = await startPlatform({ flavour });
    tool = await startMiniTool({ scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score https://example.com/unknown-scope', claims: ['sub', 'email', 'made_up'] });
    const outcome = await sim.dynamicRegister(tool.urls.register);
    expect(outcome.status).toBe(flavour === 'moodle' ? 'pending' : 'active');
    expect(outcome.closeMessageSeen).toBe(true);
    expect(outcome.toolConfiguration).toMatchObject({ client_name: 'Mini tool', jwks_uri: tool.urls.jwks });
    const record = sim.tool(outcome.clientId);
    expect(record.scopes).toEqual(['https://purl.imsglobal.org/spec/lti-ags/scope/score']);
    expect(record.claims).toEqual(['sub', 'email']);
    expect(record.deepLinkUrl).toBe(tool.urls.launch);
    expect(tool.platform).toMatchObject({ clientId: outcome.clientId, issuer: sim.issuer });
  });

  test('§3.5 the registration endpoint: Bearer token required, valid, unexpired and used once; metadata checked', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z');
    sim = await startPlatform({ flavour, now: () => now });
    const page = await capturingPage();
    await expect(sim.dynamicRegister(page.url)).rejects.toMatchObject({ code: 'SIM_REGISTRATION_NOT_RECEIVED' });
    const { openid_configuration: configUrl, registration_token: token } = page.seen[0]!;
    expect(configUrl).toBe(sim.urls.openidConfiguration);
    const post = (body: unknown, bearer: string | undefined) =>
      fetch(sim!.urls.registration, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) });
    const toolUrl = 'http://127.0.0.1:9';
    expect((await post(registration(toolUrl), undefined)).status).toBe(401);
    expect((await post(registration(toolUrl), `${token}x`)).status).toBe(401);
    const badDomain = await post(registration(toolUrl, {}, { domain: 'other.example' }), token);
    expect(badDomain.status).toBe(400);
    expect(await badDomain.json()).toMatchObject({ error: 'invalid_client_metadata' });
    expect((await post(registration(toolUrl, { token_endpoint_auth_method: 'client_secret_basic' }), token)).status).toBe(400);
    expect((await post(registration(toolUrl, { grant_types: ['implicit'] }), token)).status).toBe(400);
    now += 3601_000;
    expect((await post(registration(toolUrl), token)).status).toBe(401);
    now -= 3601_000;
    const ok = await post(registration(toolUrl), token);
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score', [TOOL_CONFIG]: { deployment_id: expect.any(String), claims: ['sub', 'name'] } });
    expect(typeof answer.client_id).toBe('string');
    expect((await post(registration(toolUrl), token)).status).toBe(401);
  });
});

test('when the registration page does not post org.imsglobal.lti.close, then closeMessageSeen is false', async () => {
  sim = await startPlatform({ flavour: 'canvas' });
  const page = await capturingPage();
  const token = await (async () => {
    await sim!.dynamicRegister(page.url).catch(() => undefined);
    return page.seen[0]!.registration_token!;
  })();
  // Register through a page without the close message: the tool registers server-side, answers plain HTML.
  capture!.removeAllListeners('request');
  capture!.on('request', async (_req, res) => {
    const toolUrl = `http://127.0.0.1:${(capture!.address() as AddressInfo).port}`;
    await fetch(sim!.urls.registration, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(registration(toolUrl)) });
    res.setHeader('content-type', 'text/html');
    res.end('<p>Done.</p><script src="/other.js"></script>');
  });
  await expect(sim.dynamicRegister(page.url)).resolves.toMatchObject({ closeMessageSeen: false });
});

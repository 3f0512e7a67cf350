import { SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import { LTI, errorCodeOf, type TableCounts, fullLaunch, launchClaims, launchTableCounts, login, postLaunch, registerMiniPlatform } from './launch-flow.ts';
import { newRsaKey, signIdToken, startMiniPlatform, type MiniPlatform } from './mini-platform.ts';

describe.each(STORE_KINDS)('LTI 1.3 launch on %s', (kind) => {
  let tool: ToolServer;
  let mini: MiniPlatform;
  let platform: PlatformRecord;

  beforeAll(async () => {
    tool = await startToolServer(kind);
    mini = await startMiniPlatform();
    platform = await registerMiniPlatform(tool, mini, 'client-1', 'Test Moodle', ['1', '2']);
  });
  afterAll(async () => {
    await tool.close();
    await mini.close();
  });

  test('LTI 1.3 Core §5.1.1: the login redirects to the platform with state, nonce, form_post and our redirect URI, and sets a state cookie', async () => {
    const started = await login(tool, platform);
    expect(started.status).toBe(302);
    const q = started.location.searchParams;
    expect(started.location.origin + started.location.pathname).toBe(mini.authUrl);
    expect(Object.fromEntries(q)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'client-1',
      redirect_uri: `${tool.baseUrl}/lti/launch`,
      login_hint: 'user-7',
      lti_message_hint: 'hint-1',
    });
    expect(started.state).toMatch(/^[\w-]{32}$/);
    expect(started.nonce).toMatch(/^[\w-]{32}$/);
    expect(started.cookie).toBe(`lti1p3_${started.state}=1`);
  });

  test('when a GET login omits client_id and the issuer has one registration, then it is found', async () => {
    const response = await fetch(`${tool.baseUrl}/lti/login?${new URLSearchParams({ iss: mini.issuer, login_hint: 'u', target_link_uri: `${tool.baseUrl}/lti/launch` })}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
  });

  test('when a valid LtiResourceLinkRequest arrives, then a session bound to platform, deployment, context, user and roles is opened and framing is limited to the platform', async () => {
    const before = await launchTableCounts(tool);
    const { status, html, headers } = await fullLaunch(tool, mini, platform);
    expect(status).toBe(200);
    expect(html).toContain('Maria Schneider');
    expect(html).toContain('Data Literacy');
    expect(headers.get('content-security-policy')).toContain(`frame-ancestors ${mini.baseUrl}`);
    const sessionId = /data-session="([^"]+)"/.exec(html)?.[1];
    const session = await tool.runtime.lti.session(sessionId!);
    expect(session).toMatchObject({ platformId: platform.id, deploymentId: '1', contextId: 'course-2', userId: 'user-7', messageType: 'LtiResourceLinkRequest' });
    expect(session?.roles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']);
    const after = await launchTableCounts(tool);
    expect(after.lti_sessions).toBe(before.lti_sessions + 1);
    expect(after.lti_nonces).toBe(before.lti_nonces + 1);
    // The session works from the URL alone, without any cookie (third-party cookies blocked in the iframe).
    const home = await fetch(`${tool.baseUrl}/lti/home?session=${sessionId}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Maria Schneider');
  });

  test('when one issuer has two registrations (as every Instructure-hosted Canvas shares one iss), then the client_id picks the registration and a token for the other is refused', async () => {
    const second = await tool.runtime.store.ltiPlatforms.upsert({ ...platform, clientId: 'client-2', name: 'Second customer', deploymentIds: ['9'] });
    expect(second.id).not.toBe(platform.id);
    const started = await login(tool, second);
    const ok = await postLaunch(tool, { id_token: await signIdToken(mini.keys[0]!, launchClaims(tool, second, started.nonce)), state: started.state }, started.cookie);
    expect(ok.status).toBe(200);
    const session = await tool.runtime.lti.session(/data-session="([^"]+)"/.exec(ok.html)![1]!);
    expect(session).toMatchObject({ platformId: second.id, deploymentId: '9' });
    // A token addressed to the first registration cannot complete a login started for the second.
    const other = await login(tool, second);
    const crossed = await postLaunch(tool, { id_token: await signIdToken(mini.keys[0]!, launchClaims(tool, platform, other.nonce)), state: other.state }, other.cookie);
    expect(errorCodeOf(crossed.html)).toBe('LTI_AUD_MISMATCH');
    // Without client_id the issuer is now ambiguous.
    const ambiguous = await fetch(`${tool.baseUrl}/lti/login?${new URLSearchParams({ iss: mini.issuer, login_hint: 'u', target_link_uri: `${tool.baseUrl}/lti/launch` })}`, { redirect: 'manual' });
    expect(errorCodeOf(await ambiguous.text())).toBe('LTI_PLATFORM_UNKNOWN');
  });

  test('when aud is an array with our client id and azp names us, then the launch is accepted', async () => {
    const { status } = await fullLaunch(tool, mini, platform, { aud: ['client-1', 'other'], azp: 'client-1' });
    expect(status).toBe(200);
  });

  test('when the token is 50 s past exp (inside the 60 s skew), then the launch is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { status } = await fullLaunch(tool, mini, platform, { iat: now - 110, exp: now - 50 });
    expect(status).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const rejections: [string, string, () => Promise<{ status: number; html: string }>][] = [
    ['no kid', 'LTI_KID_MISSING', async () => launchWithHeader({ kid: undefined })],
    ['unknown kid', 'LTI_KID_UNKNOWN', async () => launchWithHeader({ kid: 'who-knows' })],
    ['bad signature', 'LTI_SIGNATURE_INVALID', async () => signedByOtherKey()],
    ['expired token', 'LTI_TOKEN_EXPIRED', async () => fullLaunch(tool, mini, platform, { iat: now() - 300, exp: now() - 120 })],
    ['iat in the future', 'LTI_IAT_IN_FUTURE', async () => fullLaunch(tool, mini, platform, { iat: now() + 120, exp: now() + 180 })],
    ['wrong iss', 'LTI_ISS_MISMATCH', async () => fullLaunch(tool, mini, platform, { iss: 'https://evil.example' })],
    ['wrong aud', 'LTI_AUD_MISMATCH', async () => fullLaunch(tool, mini, platform, { aud: 'someone-else' })],
    ['aud = Moodle legacy resource key', 'LTI_AUD_LEGACY_RESOURCE_KEY', async () => fullLaunch(tool, mini, platform, { aud: 'legacy-key', [`${LTI}tool_platform`]: { product_family_code: 'moodle' } })],
    ['azp mismatch', 'LTI_AZP_MISMATCH', async () => fullLaunch(tool, mini, platform, { aud: ['client-1', 'other'], azp: 'other' })],
    ['several audiences without azp', 'LTI_AZP_MISMATCH', async () => fullLaunch(tool, mini, platform, { aud: ['client-1', 'other'] })],
    ['nonce differing from the login', 'LTI_NONCE_MISMATCH', async () => fullLaunch(tool, mini, platform, { nonce: 'not-the-login-nonce' })],
    ['missing deployment_id', 'LTI_DEPLOYMENT_MISSING', async () => fullLaunch(tool, mini, platform, { [`${LTI}deployment_id`]: undefined })],
    ['unknown deployment_id', 'LTI_DEPLOYMENT_UNKNOWN', async () => fullLaunch(tool, mini, platform, { [`${LTI}deployment_id`]: '99' })],
    ['wrong message type', 'LTI_MESSAGE_TYPE_UNSUPPORTED', async () => fullLaunch(tool, mini, platform, { [`${LTI}message_type`]: 'LtiSubmissionReviewRequest' })],
    ['missing version', 'LTI_VERSION_UNSUPPORTED', async () => fullLaunch(tool, mini, platform, { [`${LTI}version`]: undefined })],
    ['other target_link_uri', 'LTI_TARGET_LINK_URI_MISMATCH', async () => fullLaunch(tool, mini, platform, { [`${LTI}target_link_uri`]: `${tool.baseUrl}/elsewhere` })],
    ['no exp claim', 'LTI_CLAIM_MISSING', async () => fullLaunch(tool, mini, platform, { exp: undefined })],
    ['a resource link launch without resource_link.id', 'LTI_CLAIM_MISSING', async () => fullLaunch(tool, mini, platform, { [`${LTI}resource_link`]: { title: 'no id' } })],
    ['missing roles claim', 'LTI_ROLES_MISSING', async () => fullLaunch(tool, mini, platform, { [`${LTI}roles`]: undefined })],
    ['state not issued by the tool', 'LTI_STATE_UNKNOWN', async () => stateMismatch()],
    ['missing state', 'LTI_STATE_MISSING', async () => postLaunch(tool, { id_token: 'x.y.z' })],
    ['HS256 signed with the public key', 'LTI_ALG_NOT_ALLOWED', async () => hs256()],
    ['alg none', 'LTI_ALG_NOT_ALLOWED', async () => algNone()],
    ['platform says the tool is pending', 'LTI_TOOL_PENDING', async () => postLaunch(tool, { error: 'access_denied', error_description: 'Tool is pending activation', state: 'x' })],
    ['platform says the redirect URI is not registered', 'LTI_REDIRECT_URI_NOT_REGISTERED', async () => postLaunch(tool, { error: 'invalid_request', error_description: 'Invalid redirect_uri' })],
  ];

  let countsBefore: TableCounts;
  // Recounted before every test, so each rejection proves on its own that it wrote no session and no nonce.
  beforeEach(async () => {
    countsBefore = await launchTableCounts(tool);
  });

  test.each(rejections)('Security Framework §5.1.3: when the launch has %s, then a clear page with %s is shown and nothing is written', async (_case, code, attempt) => {
    const result = await attempt();
    const after = await launchTableCounts(tool);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(errorCodeOf(result.html)).toBe(code);
    expect(result.html).toContain('What failed:');
    expect(after.lti_sessions).toBe(countsBefore.lti_sessions);
    expect(after.lti_nonces).toBe(countsBefore.lti_nonces);
  });
  const loginRejections: [string, string, Record<string, string>][] = [
    ['an issuer that is not registered', 'LTI_PLATFORM_UNKNOWN', { iss: 'https://unknown-lms.example' }],
    ['a client id that is not registered for the issuer', 'LTI_PLATFORM_UNKNOWN', { client_id: 'other-client' }],
    ['a target_link_uri outside the tool', 'LTI_TARGET_LINK_URI_INVALID', { target_link_uri: 'https://evil.example/lti/launch' }],
    ['a deployment id that is not registered', 'LTI_DEPLOYMENT_UNKNOWN', { lti_deployment_id: '42' }],
    ['no login_hint', 'LTI_LOGIN_INVALID', { login_hint: '' }],
  ];
  test.each(loginRejections)('LTI 1.3 Core §5.1.1: when the login names %s, then %s is shown and no state is stored', async (_case, code, fields) => {
    const before = await launchTableCounts(tool);
    const started = await login(tool, platform, fields);
    expect(started.status).toBe(400);
    expect(errorCodeOf(started.html)).toBe(code);
    expect(started.html).toContain('What to tell the admin:');
    expect(await launchTableCounts(tool)).toEqual(before);
  });

  test('when a launch is replayed, then the second is refused as a replay and writes nothing', async () => {
    const first = await fullLaunch(tool, mini, platform);
    expect(first.status).toBe(200);
    const before = await launchTableCounts(tool);
    const again = await postLaunch(tool, { id_token: first.idToken, state: first.started.state }, first.started.cookie);
    expect(again.status).toBe(400);
    expect(errorCodeOf(again.html)).toBe('LTI_NONCE_REPLAYED');
    expect(await launchTableCounts(tool)).toEqual(before);
  });

  test('when two copies of a launch race, then exactly one opens a session', async () => {
    const started = await login(tool, platform);
    const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce));
    const results = await Promise.all([1, 2, 3].map(() => postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  async function launchWithHeader(header: Record<string, unknown>) {
    const started = await login(tool, platform);
    const claims = launchClaims(tool, platform, started.nonce);
    const key = mini.keys[0]!;
    const protectedHeader = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
    if (protectedHeader.kid === undefined) delete (protectedHeader as { kid?: unknown }).kid;
    const idToken = await new SignJWT(claims).setProtectedHeader(protectedHeader as { alg: string }).sign(key.privateKey);
    return postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  }
  async function signedByOtherKey() {
    const started = await login(tool, platform);
    const impostor = await newRsaKey(mini.keys[0]!.kid);
    const idToken = await signIdToken(impostor, launchClaims(tool, platform, started.nonce));
    return postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  }
  async function stateMismatch() {
    const started = await login(tool, platform);
    const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce));
    return postLaunch(tool, { id_token: idToken, state: 'forged-state' }, started.cookie);
  }
  async function hs256() {
    const started = await login(tool, platform);
    const secret = new TextEncoder().encode(JSON.stringify(mini.keys[0]!.publicJwk));
    const idToken = await new SignJWT(launchClaims(tool, platform, started.nonce)).setProtectedHeader({ alg: 'HS256', kid: mini.keys[0]!.kid }).sign(secret);
    return postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  }
  async function algNone() {
    const started = await login(tool, platform);
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    const idToken = `${part({ alg: 'none', kid: mini.keys[0]!.kid })}.${part(launchClaims(tool, platform, started.nonce))}.`;
    return postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  }
});

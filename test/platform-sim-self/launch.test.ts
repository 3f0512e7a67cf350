/** The simulator's launches: id_token claims per flavour, signing against its JWKS, and the tampering hooks. */
import { createHmac, createPublicKey } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { Browser } from '../platform-sim/index.ts';
import { fixture, START, type Fixture } from './fixture.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function platformJwks(current: Fixture): Promise<{ keys: JWK[] }> {
  return (await (await fetch(current.sim.urls.jwks)).json()) as { keys: JWK[] };
}

async function launchToken(current: Fixture, override: Parameters<Fixture['sim']['launch']>[0]['override'] = {}) {
  await current.sim.launch({ clientId: current.clientId, userId: current.learner.id, courseId: current.course.id, activityId: current.activity.id, override });
  const token = current.tool.idTokens.at(-1);
  if (!token) throw new Error('no id_token reached the tool');
  return token;
}

describe('LTI 1.3 Core §5.1.2 id_token, Moodle flavour', () => {
  test('when a learner launches, then the id_token is RS256 under the platform kid, verifies against the JWKS and lives 60 s', async () => {
    f = await fixture('moodle');
    const page = await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id });
    expect(page.html).toContain('data-launch="ok"');
    const token = f.tool.idTokens.at(-1)!;
    const jwks = await platformJwks(f);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(START), issuer: f.sim.issuer, audience: f.clientId });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.iat).toBe(START / 1000);
    expect(payload).toMatchObject({
      sub: f.learner.id,
      aud: f.clientId,
      [`${LTI}/deployment_id`]: f.deploymentId,
      [`${LTI}/message_type`]: 'LtiResourceLinkRequest',
      [`${LTI}/version`]: '1.3.0',
      [`${LTI}/roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [`${LTI}/context`]: { id: f.course.id, label: 'DL101', title: 'Data Literacy 101', type: ['CourseSection'] },
      [`${LTI}/resource_link`]: { id: f.activity.id, title: 'Final quiz' },
      [`${LTI}/tool_platform`]: { product_family_code: 'moodle' },
      [`${LTI}/custom`]: { badge: 'dl-1', uid: f.learner.id, other: '$Unknown.variable' },
      [`${LTI}/ext`]: { user_username: 'mariaschneider' },
      name: 'Maria Schneider',
      email: 'maria@example.edu',
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { service_versions: ['1.0', '2.0'] },
    });
    expect(payload.azp).toBeUndefined();
    expect(payload['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome']).toMatchObject({ lis_outcome_service_url: `${f.sim.baseUrl}/mod/lti/service.php` });
    expect(f.deploymentId).toMatch(/^\d+$/);
    expect(f.clientId).toMatch(/^[A-Za-z0-9]{15}$/);
    const ags = payload['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as Record<string, string>;
    expect(ags.lineitems).toBe(f.sim.urls.lineItems(f.course.id, f.clientId));
    expect(ags.lineitem).toMatch(/\/lineitems\/\d+\/lineitem\?type_id=\d+$/);
    expect(f.tool.logins.at(-1)).toMatchObject({ method: 'POST', iss: f.sim.issuer, login_hint: f.learner.id, client_id: f.clientId, lti_deployment_id: f.deploymentId, target_link_uri: f.tool.urls.launch });
  });

  test('when the activity has a legacy resource key, then aud is that key (the Moodle quirk)', async () => {
    f = await fixture('moodle');
    const legacy = f.sim.addActivity(f.course.id, { title: 'Old link', clientId: f.clientId, legacyResourceKey: 'legacy-key-123' });
    await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: legacy.id });
    expect(decodeJwt(f.tool.idTokens.at(-1)!).aud).toBe('legacy-key-123');
  });

  test('when the tool shares no identity claims, then name and email stay out of the id_token', async () => {
    f = await fixture('moodle', { claims: ['iss', 'sub'] });
    const payload = decodeJwt(await launchToken(f));
    expect(payload.name).toBeUndefined();
    expect(payload.email).toBeUndefined();
  });
});

describe('LTI 1.3 Core §5.1.2 id_token, Canvas flavour', () => {
  test('when a learner launches, then iss is canvas.instructure.com and the Canvas claims are there', async () => {
    f = await fixture('canvas');
    const token = await launchToken(f);
    const { payload } = await jwtVerify(token, createLocalJWKSet(await platformJwks(f)), { currentDate: new Date(START), issuer: 'https://canvas.instructure.com', audience: f.clientId });
    expect(f.sim.issuer).toBe('https://canvas.instructure.com');
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.azp).toBe(f.clientId);
    expect(payload.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload[`${LTI}/lti11_legacy_user_id`]).toMatch(/^[0-9a-f]{40}$/);
    expect(payload[`${LTI}/lti1p1`]).toMatchObject({ user_id: payload[`${LTI}/lti11_legacy_user_id`] });
    expect(payload[`${LTI}/custom`]).toEqual({ badge: 'dl-1', uid: f.learner.id, other: '$Unknown.variable' });
    expect(payload[`${LTI}/context`]).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{40}$/), type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] });
    expect(payload[`${LTI}/roles`]).toContain('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner');
    expect(payload[`${LTI}/tool_platform`]).toMatchObject({ product_family_code: 'canvas' });
    expect(payload).toHaveProperty(['https://www.instructure.com/placement'], null);
    expect(f.clientId).toMatch(/^\d{15,}$/);
    expect(f.deploymentId).toMatch(/^\d+:[0-9a-f]{40}$/);
    expect(f.tool.logins.at(-1)).toMatchObject({ login_hint: payload[`${LTI}/lti11_legacy_user_id`], canvas_environment: 'prod' });
  });

  test('when two Canvas customers run side by side, then they share the issuer but not client ids, deployments or keys', async () => {
    f = await fixture('canvas');
    const g = await fixture('canvas');
    try {
      expect(g.sim.issuer).toBe(f.sim.issuer);
      expect(g.clientId).not.toBe(f.clientId);
      expect(g.deploymentId).not.toBe(f.deploymentId);
      expect((await platformJwks(g)).keys[0]!.kid).not.toBe((await platformJwks(f)).keys[0]!.kid);
    } finally {
      await g.close();
    }
  });

  test('when platform storage is offered, then the login initiation and the launch post carry lti_storage_target', async () => {
    f = await fixture('canvas');
    await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id, storageTarget: true });
    expect(f.tool.logins.at(-1)!.lti_storage_target).toBe('post_message_forwarding');
    expect(f.tool.posts.at(-1)!.lti_storage_target).toBe('post_message_forwarding');
  });
});

describe('tampering hooks do what they say', () => {
  test('signWith other-rsa: the platform kid with a signature that does not verify', async () => {
    f = await fixture('moodle');
    const jwks = await platformJwks(f);
    const token = await launchToken(f, { signWith: 'other-rsa' });
    expect(decodeProtectedHeader(token).kid).toBe(jwks.keys[0]!.kid);
    await expect(jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(START) })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  test('signWith unknown-kid: a kid the JWKS does not publish', async () => {
    f = await fixture('moodle');
    const jwks = await platformJwks(f);
    const kid = decodeProtectedHeader(await launchToken(f, { signWith: 'unknown-kid' })).kid;
    expect(kid).toBeDefined();
    expect(jwks.keys.map((k) => k.kid)).not.toContain(kid);
  });

  test('signWith no-kid: no kid header, and the signature verifies with the one published key', async () => {
    f = await fixture('canvas');
    const token = await launchToken(f, { signWith: 'no-kid' });
    expect(decodeProtectedHeader(token).kid).toBeUndefined();
    const jwks = await platformJwks(f);
    await expect(jwtVerify(token, createLocalJWKSet({ keys: [{ ...jwks.keys[0]!, kid: undefined }] as JWK[] }), { currentDate: new Date(START) })).resolves.toBeTruthy();
  });

  test('signWith none: alg none and an empty signature', async () => {
    f = await fixture('moodle');
    const token = await launchToken(f, { signWith: 'none' });
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(token.endsWith('.')).toBe(true);
    expect(decodeJwt(token).sub).toBe(f.learner.id);
  });

  test('signWith hs256-with-public-key: HS256 keyed with the platform public key PEM', async () => {
    f = await fixture('moodle');
    const token = await launchToken(f, { signWith: 'hs256-with-public-key' });
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const pem = createPublicKey({ key: (await platformJwks(f)).keys[0]! as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const [h, p, s] = token.split('.');
    expect(createHmac('sha256', String(pem)).update(`${h}.${p}`).digest('base64url')).toBe(s);
  });

  test('lifetime, iat offset, claims, removeClaims, aud, azp, header, state and nonce overrides', async () => {
    f = await fixture('canvas');
    const token = await launchToken(f, {
      lifetimeSeconds: -10,
      iatOffsetSeconds: 120,
      claims: { [`${LTI}/message_type`]: 'LtiSubmissionReviewRequest' },
      removeClaims: [`${LTI}/roles`, `${LTI}/deployment_id`],
      aud: ['other-client', 'x'],
      azp: 'someone-else',
      header: { typ: 'at+jwt' },
      nonce: 'chosen-nonce',
      state: 'chosen-state',
    });
    const payload = decodeJwt(token);
    expect(payload.iat).toBe(START / 1000 + 120);
    expect(payload.exp).toBe(START / 1000 + 110);
    expect(payload[`${LTI}/message_type`]).toBe('LtiSubmissionReviewRequest');
    expect(payload).not.toHaveProperty([`${LTI}/roles`]);
    expect(payload).not.toHaveProperty([`${LTI}/deployment_id`]);
    expect(payload.aud).toEqual(['other-client', 'x']);
    expect(payload.azp).toBe('someone-else');
    expect(payload.nonce).toBe('chosen-nonce');
    expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
    expect(f.tool.posts.at(-1)!.state).toBe('chosen-state');
  });

  test('when the platform rotates its key, then new launches use the new kid and the JWKS keeps the old one', async () => {
    f = await fixture('moodle');
    const before = (await platformJwks(f)).keys[0]!.kid;
    const after = await f.sim.rotateKeys();
    expect(decodeProtectedHeader(await launchToken(f)).kid).toBe(after);
    expect((await platformJwks(f)).keys.map((k) => k.kid)).toEqual([after, before]);
    await f.sim.rotateKeys(false);
    expect((await platformJwks(f)).keys).toHaveLength(1);
  });
});

describe('launch mechanics', () => {
  test('when the launch uses GET, then the login initiation arrives as a query', async () => {
    f = await fixture('moodle');
    await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id, method: 'GET' });
    expect(f.tool.logins.at(-1)).toMatchObject({ method: 'GET', login_hint: f.learner.id });
    expect(f.tool.launches).toHaveLength(1);
  });

  test('when the tool runs in the LMS iframe, then its requests are framed and cross-site', async () => {
    f = await fixture('moodle');
    const page = await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id });
    expect(page.embeddedIn).toBe(f.sim.baseUrl);
    expect(page.trail.map((step) => `${step.method} ${new URL(step.url).pathname}`)).toEqual(['POST /login', 'GET /mod/lti/auth.php', 'POST /launch']);
  });

  test('when the tool opens in a new window, then its requests are top-level and the platform session still carries the launch', async () => {
    f = await fixture('canvas');
    const page = await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id, presentation: 'window' });
    expect(page.embeddedIn).toBeUndefined();
    expect(page.html).toContain('data-launch="ok"');
    expect(f.sim.requests().some((r) => r.path.startsWith('/api/lti/authorize_redirect') && r.status === 200)).toBe(true);
  });

  test('when a user is not enrolled or the activity is missing, then launch throws a coded SimError', async () => {
    f = await fixture('moodle');
    const stranger = f.sim.addUser({ name: 'Sam Stranger' });
    await expect(f.sim.launch({ clientId: f.clientId, userId: stranger.id, courseId: f.course.id, activityId: f.activity.id })).rejects.toMatchObject({ code: 'SIM_NOT_ENROLLED' });
    await expect(f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id })).rejects.toMatchObject({ code: 'SIM_UNKNOWN_ACTIVITY' });
  });

  test('when a second browser replays the authentication request without the platform session, then Canvas posts login_required back', async () => {
    f = await fixture('canvas');
    const page = await f.sim.launch({ clientId: f.clientId, userId: f.learner.id, courseId: f.course.id, activityId: f.activity.id });
    const authorize = page.trail.find((step) => step.url.startsWith(f!.sim.urls.authorize))!.url;
    const replay = await new Browser().navigate(authorize);
    expect(replay.status).toBe(400);
    expect(f.tool.posts.at(-1)).toMatchObject({ error: 'login_required' });
  });
});

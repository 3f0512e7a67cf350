import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createApp } from '../../../lti-tool/src/http/create-app.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import { LTI, errorCodeOf, launchClaims, launchTableCounts, login, postLaunch, registerMiniPlatform } from './launch-flow.ts';
import { signIdToken, startMiniPlatform, type MiniPlatform } from './mini-platform.ts';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe.each(STORE_KINDS)('Deep Linking 2.0 and platform storage on %s', (kind) => {
  let tool: ToolServer;
  let mini: MiniPlatform;
  let platform: PlatformRecord;

  beforeAll(async () => {
    tool = await startToolServer(kind);
    mini = await startMiniPlatform();
    platform = await registerMiniPlatform(tool, mini, 'client-dl', 'Test LMS', ['dep-1']);
  });
  afterAll(async () => {
    await tool.close();
    await mini.close();
  });

  async function deepLinkLaunch(settings: Record<string, unknown> = {}) {
    const started = await login(tool, platform);
    const idToken = await signIdToken(
      mini.keys[0]!,
      launchClaims(tool, platform, started.nonce, {
        [`${LTI}message_type`]: 'LtiDeepLinkingRequest',
        [`${LTI}resource_link`]: undefined,
        [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        [`${DL}deep_linking_settings`]: { deep_link_return_url: `${mini.baseUrl}/dl-return`, accept_types: ['ltiResourceLink'], accept_multiple: true, data: 'opaque-42', ...settings },
      }),
    );
    return postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  }

  test('Deep Linking 2.0 §4.5: the response is a JWT signed with the tool key (iss = client_id, aud = issuer, data echoed) auto-posted as JWT to the return URL', async () => {
    const page = await deepLinkLaunch();
    expect(page.status).toBe(200);
    const session = field(page.html, 'session')!;
    const csrf = field(page.html, 'csrf')!;
    const response = await fetch(`${tool.baseUrl}/lti/deep-link`, {
      method: 'POST',
      body: new URLSearchParams({ session, csrf, title: 'Data Literacy badge', score_maximum: '10', label: 'Badge', resource_id: 'def-1', tag: 'microcred', custom: 'definition=def-1\ncanvas_user=$Canvas.user.id' }),
    });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(`action="${mini.baseUrl}/dl-return"`);
    expect(html).toContain('data-autosubmit');
    expect(response.headers.get('content-security-policy')).toContain(`form-action 'self' ${mini.baseUrl}`);
    const jwt = field(html, 'JWT')!;
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${tool.baseUrl}/lti/jwks.json`)), { issuer: 'client-dl', audience: mini.issuer });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: 'dep-1',
      [`${DL}data`]: 'opaque-42',
      [`${DL}content_items`]: [
        {
          type: 'ltiResourceLink',
          title: 'Data Literacy badge',
          url: `${tool.baseUrl}/lti/launch`,
          lineItem: { scoreMaximum: 10, label: 'Badge', resourceId: 'def-1', tag: 'microcred' },
          custom: { definition: 'def-1', canvas_user: '$Canvas.user.id' },
        },
      ],
    });
    expect(typeof payload.nonce).toBe('string');
  });

  test('when the deep-link form comes without the session CSRF token, then it is refused', async () => {
    const page = await deepLinkLaunch();
    const response = await fetch(`${tool.baseUrl}/lti/deep-link`, { method: 'POST', body: new URLSearchParams({ session: field(page.html, 'session')!, csrf: 'guess', title: 'x' }) });
    expect(response.status).toBe(403);
    expect(errorCodeOf(await response.text())).toBe('LTI_CSRF_INVALID');
  });

  test('when a learner session posts to the deep-link endpoint, then it is refused', async () => {
    const started = await login(tool, platform);
    const page = await postLaunch(tool, { id_token: await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce)), state: started.state }, started.cookie);
    const session = /data-session="([^"]+)"/.exec(page.html)![1]!;
    const stored = await tool.runtime.lti.session(session);
    const response = await fetch(`${tool.baseUrl}/lti/deep-link`, { method: 'POST', body: new URLSearchParams({ session, csrf: stored!.csrfToken, title: 'x' }) });
    expect(errorCodeOf(await response.text())).toBe('LTI_DEEP_LINK_INVALID');
  });

  test('LTI Client Side postMessages: when the platform offers storage, the login page stores state and nonce through the served script before going to the platform', async () => {
    const started = await login(tool, platform, { lti_storage_target: '_parent' });
    expect(started.status).toBe(200);
    expect(started.html).toContain('data-mode="put"');
    expect(started.html).toContain('data-target="_parent"');
    expect(started.html).toContain(`data-origin="${mini.baseUrl}"`);
    expect(started.html).toContain('<script src="/assets/lti-storage.js"');
    expect(started.html).not.toMatch(/<script>/);
    const script = await fetch(`${tool.baseUrl}/assets/lti-storage.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('lti.put_data');
  });

  test('when no state cookie comes back and storage was offered, then the state is checked in platform storage before any session exists', async () => {
    const started = await login(tool, platform, { lti_storage_target: 'post_message_forwarding' });
    const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce));
    const before = await launchTableCounts(tool);
    const check = await postLaunch(tool, { id_token: idToken, state: started.state });
    expect(check.html).toContain('data-mode="get"');
    expect(await launchTableCounts(tool)).toEqual(before);

    // A cross-site form can carry any storage values, but not the script's header: refused.
    const forgedForm = await postLaunch(tool, { id_token: idToken, state: started.state, storage_state: started.state, storage_nonce: started.nonce });
    expect(errorCodeOf(forgedForm.html)).toBe('LTI_STATE_MISMATCH');
    const storageCheck = (fields: Record<string, string>) =>
      fetch(`${tool.baseUrl}/lti/launch`, { method: 'POST', headers: { 'x-microcred-storage-check': '1' }, body: new URLSearchParams({ id_token: idToken, state: started.state, ...fields }) });
    const wrongValue = await storageCheck({ storage_state: 'other', storage_nonce: started.nonce });
    expect(errorCodeOf(await wrongValue.text())).toBe('LTI_STATE_MISMATCH');
    expect(await launchTableCounts(tool)).toEqual(before);

    const done = await storageCheck({ storage_state: started.state, storage_nonce: started.nonce });
    expect(done.status).toBe(200);
    const { next } = (await done.json()) as { next: string };
    expect(next).toMatch(/^\/lti\/home\?session=/);
    expect(await (await fetch(`${tool.baseUrl}${next}`)).text()).toContain('Maria Schneider');
  });

  test('when no cookie comes back and the platform offers no storage, then the single-use server-side state still completes the launch (cookie-less fallback)', async () => {
    const started = await login(tool, platform);
    const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce));
    const done = await postLaunch(tool, { id_token: idToken, state: started.state });
    expect(done.status).toBe(200);
  });

  test('when LTI_COOKIELESS_FALLBACK is off, then a launch that neither a cookie nor platform storage confirms is refused and writes nothing', async () => {
    const strict = createServer(createApp({ ...tool.runtime, lti: { ...tool.runtime.lti, settings: { ...tool.runtime.lti.settings, cookielessFallback: false } } }));
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    try {
      const started = await login(tool, platform);
      const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce));
      const before = await launchTableCounts(tool);
      const response = await fetch(`http://127.0.0.1:${(strict.address() as AddressInfo).port}/lti/launch`, { method: 'POST', body: new URLSearchParams({ id_token: idToken, state: started.state }) });
      const html = await response.text();
      expect(errorCodeOf(html)).toBe('LTI_STATE_MISMATCH');
      expect(html).toContain('new window');
      expect(await launchTableCounts(tool)).toEqual(before);
      // With its cookie, the same launch passes the strict server.
      const withCookie = await fetch(`http://127.0.0.1:${(strict.address() as AddressInfo).port}/lti/launch`, { method: 'POST', headers: { cookie: started.cookie! }, body: new URLSearchParams({ id_token: idToken, state: started.state }) });
      expect(withCookie.status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });
});

/**
 * The served scripts in a real Chromium. Platform storage (LTI Client Side postMessages): the tool
 * runs in an iframe of a platform page on another site, its state cookie does not come back on the
 * cross-site launch POST, and lti-storage.js stores state and nonce through Canvas-style
 * `post_message_forwarding`, reads them back and completes the launch. Deep linking: the
 * auto-posting response page really posts under the page's Content-Security-Policy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../lti-tool/src/http/create-app.ts';
import { openRuntime, type Runtime } from '../../../lti-tool/src/runtime.ts';
import { launchPlainChromium } from '../../extension/chromium.ts';
import { storageScript } from '../../platform-sim/platform-storage.ts';
import { freshStoreOptions } from '../../setup/databases.ts';
import { launchClaims } from './launch-flow.ts';
import { signIdToken, startMiniPlatform, type MiniPlatform } from './mini-platform.ts';

describe.skipIf(process.env.MICROCRED_SKIP_BROWSER === '1')('LTI pages and scripts in Chromium', () => {
  let browser: Browser;
  let runtime: Runtime;
  let toolServer: Server;
  let toolUrl: string;
  let mini: MiniPlatform;
  let lms: Server;
  let lmsUrl: string;
  const authRequests: URLSearchParams[] = [];
  const deepLinkReturns: URLSearchParams[] = [];
  let deepLinking = false;

  beforeAll(async () => {
    browser = await launchPlainChromium();
    mini = await startMiniPlatform();
    // The platform page: another site than the tool (127.0.0.1 vs localhost), so the tool is a cross-site frame.
    lms = createServer(async (req, res) => {
      const url = new URL(req.url!, lmsUrl);
      res.setHeader('content-type', 'text/html');
      if (url.pathname === '/post_message_forwarding') return res.end(`<!doctype html><script>${storageScript('post_message_forwarding', true)}</script>`);
      if (url.pathname === '/course') {
        const login = new URL(`${toolUrl}/lti/login`);
        for (const [k, v] of Object.entries({ iss: lmsUrl, login_hint: 'user-7', target_link_uri: `${toolUrl}/lti/launch`, client_id: 'client-b', lti_deployment_id: '1' })) login.searchParams.set(k, v);
        if (!deepLinking) login.searchParams.set('lti_storage_target', 'post_message_forwarding');
        return res.end(`<!doctype html><title>course</title><iframe name="post_message_forwarding" src="/post_message_forwarding"></iframe><iframe id="tool" src="${login}"></iframe>`);
      }
      if (url.pathname === '/auth') {
        authRequests.push(url.searchParams);
        const platform = (await runtime.store.ltiPlatforms.byIssuerAndClientId(lmsUrl, 'client-b'))!;
        const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
        const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
        const claims = launchClaims({ baseUrl: toolUrl } as never, platform, url.searchParams.get('nonce')!, deepLinking ? { [`${lti}message_type`]: 'LtiDeepLinkingRequest', [`${lti}resource_link`]: undefined, [dl]: { deep_link_return_url: `${lmsUrl}/dl-return`, accept_types: ['ltiResourceLink'] } } : {});
        const idToken = await signIdToken(mini.keys[0]!, claims);
        return res.end(
          `<!doctype html><form method="post" action="${url.searchParams.get('redirect_uri')}"><input type="hidden" name="id_token" value="${idToken}"><input type="hidden" name="state" value="${url.searchParams.get('state')}"></form><script>document.forms[0].submit()</script>`,
        );
      }
      if (url.pathname === '/dl-return' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        deepLinkReturns.push(new URLSearchParams(body));
        return res.end('<!doctype html><p id="dl-received">received</p>');
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => lms.listen(0, '127.0.0.1', resolve));
    lmsUrl = `http://127.0.0.1:${(lms.address() as AddressInfo).port}`;

    toolServer = createServer();
    await new Promise<void>((resolve) => toolServer.listen(0, '127.0.0.1', resolve));
    toolUrl = `http://localhost:${(toolServer.address() as AddressInfo).port}`;
    const store = await freshStoreOptions('sqlite');
    runtime = await openRuntime({ PUBLIC_URL: toolUrl, DATA_DIR: store.dataDir, MICROCRED_KEY_SECRET: 'test-secret-that-is-long-enough-for-hkdf-0123456789' });
    toolServer.on('request', createApp(runtime));
    await runtime.store.ltiPlatforms.upsert({ issuer: lmsUrl, clientId: 'client-b', name: 'Browser LMS', authUrl: `${lmsUrl}/auth`, tokenUrl: `${lmsUrl}/token`, jwksUrl: mini.jwksUrl, registeredBy: 'manual', deploymentIds: ['1'] });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => toolServer.close(() => resolve()));
    await new Promise<void>((resolve) => lms.close(() => resolve()));
    await runtime?.close();
    await mini?.close();
  });

  test('when the launch POST comes back without the state cookie, then lti-storage.js checks state and nonce in platform storage and the session page opens in the frame', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${lmsUrl}/course`);
      const frame = page.frameLocator('#tool');
      await expect.poll(async () => (await frame.locator('#lti-launch').count()) > 0, { timeout: 15_000 }).toBe(true);
      expect(await frame.locator('#lti-launch').textContent()).toContain('Maria Schneider');
      // The login page really went through put_data before the authorization request.
      expect(authRequests).toHaveLength(1);
      const toolFrame = page.frames().find((f) => f.url().startsWith(`${toolUrl}/lti/home`));
      expect(toolFrame?.url()).toMatch(/\/lti\/home\?session=/);
    } finally {
      await page.close();
    }
  });

  test('Deep Linking 2.0 §4.5: in the browser, lti-autosubmit.js posts the signed JWT to the platform’s return URL (allowed by the page’s form-action)', async () => {
    deepLinking = true;
    const page = await browser.newPage();
    try {
      await page.goto(`${lmsUrl}/course`);
      const frame = page.frameLocator('#tool');
      await frame.locator('#lti-deep-link button[type=submit]').click({ timeout: 15_000 });
      await expect.poll(() => deepLinkReturns.length, { timeout: 15_000 }).toBe(1);
      expect(deepLinkReturns[0]!.get('JWT')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    } finally {
      deepLinking = false;
      await page.close();
    }
  });
});

/**
 * The simulator in real Chromium: sim.launchUrl() serves the LMS course page with the tool in an
 * iframe, and Canvas's post_message_forwarding frame answers LTI platform-storage messages from the
 * tool's page script (lti.put_data at login, lti.get_data at launch), as the page-less API promises.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchPlainChromium } from '../extension/chromium.ts';
import { startPlatform, type SimPlatform } from '../platform-sim/index.ts';

const SKIP_BROWSER = process.env.MICROCRED_SKIP_BROWSER === '1';
let chromium: Chromium | undefined;
let sim: SimPlatform;
let server: Server;
let toolUrl: string;

/** The tool's page script: capabilities, then put_data (login) or get_data (launch), driven by data attributes. */
const STORAGE_JS = `
(function () {
  var d = document.body.dataset;
  var target = d.target === '_parent' ? window.parent : window.parent.frames[d.target];
  var pending = {};
  window.addEventListener('message', function (event) {
    if (event.origin !== d.platform || !event.data || !pending[event.data.message_id]) return;
    pending[event.data.message_id](event.data);
  });
  function send(message, to, origin) {
    return new Promise(function (resolve) {
      message.message_id = 'm' + Math.random();
      pending[message.message_id] = resolve;
      to.postMessage(message, origin);
    });
  }
  send({ subject: 'lti.capabilities' }, window.parent, '*').then(function (caps) {
    document.body.setAttribute('data-capabilities', JSON.stringify(caps.supported_messages));
    if (d.mode === 'put') {
      return send({ subject: 'lti.put_data', key: 'state_' + d.state, value: d.nonce }, target, d.platform).then(function () { location.href = d.redirect; });
    }
    return send({ subject: 'lti.get_data', key: 'state_' + d.state }, target, d.platform).then(function (reply) {
      document.body.setAttribute('data-result', reply.value === d.nonce ? 'nonce-matches' : 'mismatch:' + JSON.stringify(reply));
    });
  });
})();`;

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  sim = await startPlatform({ flavour: 'canvas' });
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/storage.js', (_req, res) => void res.type('text/javascript').send(STORAGE_JS));
  app.post('/login', (req, res) => {
    const p = req.body as Record<string, string>;
    const state = crypto.randomUUID();
    const nonce = crypto.randomUUID();
    const authorize = new URL(sim.urls.authorize);
    for (const [k, v] of Object.entries({ scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: p.client_id!, redirect_uri: `${toolUrl}/launch`, login_hint: p.login_hint!, lti_message_hint: p.lti_message_hint!, state, nonce })) authorize.searchParams.set(k, v);
    res.type('html').send(`<!doctype html><body data-mode="put" data-target="${escape(p.lti_storage_target!)}" data-platform="${escape(new URL(sim.urls.authorize).origin)}" data-state="${state}" data-nonce="${nonce}" data-redirect="${escape(authorize.toString())}"><script src="/storage.js"></script></body>`);
  });
  app.post('/launch', (req, res) => {
    const p = req.body as Record<string, string>;
    const nonce = (JSON.parse(Buffer.from(p.id_token!.split('.')[1]!, 'base64url').toString()) as { nonce: string }).nonce;
    res.type('html').send(`<!doctype html><body data-mode="get" data-target="${escape(p.lti_storage_target!)}" data-platform="${escape(new URL(sim.urls.authorize).origin)}" data-state="${escape(p.state!)}" data-nonce="${nonce}"><script src="/storage.js"></script></body>`);
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  toolUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chromium = await launchPlainChromium();
});

afterAll(async () => {
  await chromium?.close();
  await sim?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

test.skipIf(SKIP_BROWSER)('Canvas flavour in Chromium: the tool in the LMS iframe stores state at login and reads it back at launch through post_message_forwarding', async () => {
  const { clientId } = sim.registerToolManually({ loginUrl: `${toolUrl}/login`, redirectUris: [`${toolUrl}/launch`], jwksUrl: `${toolUrl}/jwks.json`, targetLinkUri: `${toolUrl}/launch` });
  const course = sim.addCourse({ title: 'Real browser course' });
  const learner = sim.addUser({ name: 'Maria Schneider' });
  sim.enrol(course.id, learner.id, 'Learner');
  const activity = sim.addActivity(course.id, { title: 'Quiz', clientId });
  const page = await chromium!.newPage();
  await page.goto(await sim.launchUrl({ clientId, userId: learner.id, courseId: course.id, activityId: activity.id, storageTarget: true }));
  const frame = page.frameLocator('iframe[name="tool_content"]');
  await expect.poll(async () => frame.locator('body[data-result]').getAttribute('data-result', { timeout: 10_000 }), { timeout: 15_000 }).toBe('nonce-matches');
  const capabilities = JSON.parse((await frame.locator('body').getAttribute('data-capabilities'))!) as { subject: string; frame?: string }[];
  expect(capabilities).toContainEqual({ subject: 'lti.put_data', frame: 'post_message_forwarding' });
  await page.close();
});

/** LTI Client Side postMessages / Platform Storage: the simulator's platform half, page-less. */
import { afterEach, describe, expect, test } from 'vitest';
import { startPlatform, type SimPlatform } from '../platform-sim/index.ts';

let sim: SimPlatform | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const TOOL = 'http://127.0.0.1:4444';

describe('Canvas flavour', () => {
  test('lti.capabilities names the forwarding frame for put_data and get_data', async () => {
    sim = await startPlatform({ flavour: 'canvas' });
    const reply = sim.platformStorage.postMessage({ subject: 'lti.capabilities', message_id: 'm1' }, { origin: TOOL, targetOrigin: '*' });
    expect(reply).toEqual({
      subject: 'lti.capabilities.response',
      message_id: 'm1',
      supported_messages: [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data', frame: 'post_message_forwarding' }, { subject: 'lti.get_data', frame: 'post_message_forwarding' }],
    });
  });

  test('put_data then get_data round-trips per origin; another origin cannot read it', async () => {
    sim = await startPlatform({ flavour: 'canvas' });
    const storage = sim.platformStorage;
    const to = { origin: TOOL, targetOrigin: sim.baseUrl, frame: 'post_message_forwarding' };
    expect(storage.postMessage({ subject: 'lti.put_data', message_id: 1, key: 'state-abc', value: 'nonce-xyz' }, to)).toEqual({ subject: 'lti.put_data.response', message_id: 1, key: 'state-abc', value: 'nonce-xyz' });
    expect(storage.postMessage({ subject: 'lti.get_data', message_id: 2, key: 'state-abc' }, to)).toMatchObject({ subject: 'lti.get_data.response', value: 'nonce-xyz' });
    expect(storage.postMessage({ subject: 'lti.get_data', message_id: 3, key: 'state-abc' }, { ...to, origin: 'http://127.0.0.1:5555' })).toMatchObject({ error: { code: 'bad_request' } });
    expect(storage.data(TOOL).get('state-abc')).toBe('nonce-xyz');
    expect(storage.postMessage({ subject: 'org.imsglobal.lti.get_data', message_id: 4, key: 'state-abc' }, to)).toMatchObject({ subject: 'org.imsglobal.lti.get_data.response', value: 'nonce-xyz' });
  });

  test('messages a browser would not deliver, or that go to the wrong frame, get no reply; bad ones get coded errors', async () => {
    sim = await startPlatform({ flavour: 'canvas' });
    const storage = sim.platformStorage;
    const put = { subject: 'lti.put_data', message_id: 1, key: 'k', value: 'v' };
    expect(storage.postMessage(put, { origin: TOOL, targetOrigin: 'https://evil.example', frame: 'post_message_forwarding' })).toBeUndefined();
    expect(storage.postMessage(put, { origin: TOOL, targetOrigin: sim.baseUrl, frame: '_parent' })).toBeUndefined();
    const to = { origin: TOOL, targetOrigin: sim.baseUrl, frame: 'post_message_forwarding' };
    expect(storage.postMessage({ subject: 'lti.put_data', key: 'k', value: 'v' }, to)).toMatchObject({ error: { code: 'bad_request' } });
    expect(storage.postMessage({ subject: 'lti.put_data', message_id: 2, key: 'k', value: 'v'.repeat(5000) }, to)).toMatchObject({ error: { code: 'bad_request' } });
    expect(storage.postMessage({ subject: 'lti.frobnicate', message_id: 3 }, to)).toMatchObject({ subject: 'lti.frobnicate.response', error: { code: 'unsupported_subject' } });
    expect(storage.log()).toHaveLength(5);
  });

  test('the forwarding frame page is served for real-browser tests', async () => {
    sim = await startPlatform({ flavour: 'canvas' });
    const page = await fetch(`${sim.baseUrl}/post_message_forwarding`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("addEventListener('message'");
  });
});

test('Moodle flavour answers put_data/get_data on _parent', async () => {
  sim = await startPlatform({ flavour: 'moodle' });
  const to = { origin: TOOL, targetOrigin: sim.baseUrl };
  expect(sim.platformStorage.postMessage({ subject: 'lti.put_data', message_id: 'a', key: 'k', value: 'v' }, to)).toMatchObject({ value: 'v' });
  expect(sim.platformStorage.postMessage({ subject: 'lti.get_data', message_id: 'b', key: 'k' }, to)).toMatchObject({ value: 'v' });
});

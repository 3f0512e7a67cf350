import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PlatformKeys } from '../../../lti-tool/src/lti/platform-keys.ts';
import { newRsaKey, startMiniPlatform, type MiniPlatform } from './mini-platform.ts';

describe('platform JWKS cache (Security Framework §6.3)', () => {
  let mini: MiniPlatform;
  beforeAll(async () => {
    mini = await startMiniPlatform();
  });
  afterAll(() => mini.close());

  test('when launches reuse a known kid, then the key set is fetched once; an unknown kid refetches once, rate-limited by the injected clock', async () => {
    let clock = 1_000_000;
    const keys = new PlatformKeys({ fetch: (url, init) => fetch(url, init), now: () => new Date(clock), minRefetchMs: 10_000 });
    mini.jwksFetches = 0;
    await keys.keyFor(mini.jwksUrl, 'platform-key-1');
    await keys.keyFor(mini.jwksUrl, 'platform-key-1');
    expect(mini.jwksFetches).toBe(1);

    // The platform rotates; right after the first fetch the rate limit keeps the stale set.
    mini.keys = [await newRsaKey('platform-key-2'), ...mini.keys];
    await expect(keys.keyFor(mini.jwksUrl, 'platform-key-2')).rejects.toMatchObject({ code: 'LTI_KID_UNKNOWN' });
    expect(mini.jwksFetches).toBe(1);

    clock += 10_000;
    expect((await keys.keyFor(mini.jwksUrl, 'platform-key-2')).kid).toBe('platform-key-2');
    expect(mini.jwksFetches).toBe(2);

    // A forged kid right after costs no fetch; later it costs exactly one.
    await expect(keys.keyFor(mini.jwksUrl, 'forged')).rejects.toMatchObject({ code: 'LTI_KID_UNKNOWN' });
    expect(mini.jwksFetches).toBe(2);
    clock += 10_000;
    await expect(keys.keyFor(mini.jwksUrl, 'forged')).rejects.toMatchObject({ code: 'LTI_KID_UNKNOWN' });
    expect(mini.jwksFetches).toBe(3);
  });

  test('when the JWKS URL does not answer with a key set, then LTI_JWKS_UNREACHABLE names the URL for the admin', async () => {
    const keys = new PlatformKeys({ fetch: (url, init) => fetch(url, init) });
    const failure = keys.keyFor(`${mini.baseUrl}/missing`, 'k');
    await expect(failure).rejects.toMatchObject({ code: 'LTI_JWKS_UNREACHABLE' });
    await expect(failure).rejects.toHaveProperty('adminHint', expect.stringContaining('/missing'));
  });
});

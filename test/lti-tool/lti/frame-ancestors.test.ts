import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FrameAncestors, ltiContentSecurityPolicy } from '../../../lti-tool/src/lti/frame-ancestors.ts';
import { openStore, type Store } from '../../../lti-tool/src/store/open-store.ts';
import { freshStoreOptions } from '../../setup/databases.ts';

describe('CSP frame-ancestors for LTI pages', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await freshStoreOptions('sqlite'));
  });
  afterAll(() => store.close());

  test('when no platform is registered, then nothing may frame the tool; afterwards exactly the registered platforms may', async () => {
    let clock = 0;
    const frames = new FrameAncestors(store.ltiPlatforms, () => new Date(clock));
    expect(await frames.sources()).toBe("'none'");
    const base = { registeredBy: 'manual' as const, deploymentIds: ['1'], name: 'x' };
    await store.ltiPlatforms.upsert({ ...base, issuer: 'https://moodle.example.edu', clientId: 'a', authUrl: 'https://moodle.example.edu/mod/lti/auth.php', tokenUrl: 'https://moodle.example.edu/mod/lti/token.php', jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php' });
    await store.ltiPlatforms.upsert({ ...base, issuer: 'https://canvas.instructure.com', clientId: 'b', authUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect', tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token', jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks' });
    // Cached for a few seconds; a registration on this instance invalidates at once.
    expect(await frames.sources()).toBe("'none'");
    frames.invalidate();
    expect((await frames.sources()).split(' ')).toEqual(['https://*.instructure.com', 'https://canvas.instructure.com', 'https://moodle.example.edu', 'https://sso.canvaslms.com']);
    const policy = ltiContentSecurityPolicy(await frames.sources(), ['https://moodle.example.edu']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("form-action 'self' https://moodle.example.edu");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toMatch(/frame-ancestors[^;]*\*(?!\.)/);
    clock += 10_000;
    expect(await frames.sources()).toContain('https://moodle.example.edu');
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lmsCourseIdOf, lmsKindOf, lmsUserIdOf, recordLaunchLink } from '../../../lti-tool/src/lms/lms-identity.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { openIssuanceFixture, type IssuanceFixture } from '../issuance/issuance-fixture.ts';
import { registerPlatform } from './lms-watch-fixture.ts';

const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const CONTEXT = 'https://purl.imsglobal.org/spec/lti/claim/context';
const PLATFORM = 'https://purl.imsglobal.org/spec/lti/claim/tool_platform';

describe('LTI ↔ LMS identities', () => {
  test('which LMS: Canvas by its issuer or product family, Moodle by product family, otherwise unknown', () => {
    expect(lmsKindOf('https://canvas.instructure.com')).toBe('canvas');
    expect(lmsKindOf('https://canvas.school.edu', { [PLATFORM]: { product_family_code: 'canvas' } })).toBe('canvas');
    expect(lmsKindOf('https://moodle.school.edu', { [PLATFORM]: { product_family_code: 'moodle' } })).toBe('moodle');
    expect(lmsKindOf('https://lms.example', { [PLATFORM]: { product_family_code: 'sakai' } })).toBeUndefined();
  });

  test('Moodle: the course is the LTI context id and the user is sub', () => {
    const claims = { sub: '42', [CONTEXT]: { id: '7' }, [CUSTOM]: { canvas_course_id: '99' } };
    expect(lmsCourseIdOf('moodle', claims)).toBe('7');
    expect(lmsUserIdOf('moodle', claims)).toBe('42');
  });

  test('Canvas: ids come from the custom fields; an unsubstituted "$Canvas…" variable is no id', () => {
    const claims = { sub: 'uuid', [CONTEXT]: { id: 'opaque' }, [CUSTOM]: { canvas_course_id: '1234', canvas_user_id: 55 } };
    expect(lmsCourseIdOf('canvas', claims)).toBe('1234');
    expect(lmsUserIdOf('canvas', claims)).toBe('55');
    expect(lmsUserIdOf('canvas', { [CUSTOM]: { canvas_user_id: '$Canvas.user.id' } })).toBeUndefined();
    expect(lmsCourseIdOf('canvas', { [CONTEXT]: { id: 'opaque' } })).toBeUndefined();
  });
});

describe.each(STORE_KINDS)('links recorded from launches (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('when a Canvas launch carries canvas_user_id, then the link is stored (latest wins); other launches store nothing', async () => {
    const platformId = await registerPlatform(fx.runtime.store.ltiPlatforms, 'https://canvas.instructure.com');
    const at = new Date(5_000);
    expect(await recordLaunchLink(fx.runtime.store, { platformId, userId: 'uuid-1', claims: { [CUSTOM]: { canvas_user_id: '77' } } }, at)).toBe(true);
    // The same launch again finds the link known and writes nothing.
    expect(await recordLaunchLink(fx.runtime.store, { platformId, userId: 'uuid-1', claims: { [CUSTOM]: { canvas_user_id: '77' } } }, at)).toBe(false);
    expect(await recordLaunchLink(fx.runtime.store, { platformId, userId: 'uuid-2', claims: { [CUSTOM]: { canvas_user_id: '$Canvas.user.id' } } }, at)).toBe(false);
    expect(await recordLaunchLink(fx.runtime.store, { platformId, userId: 'uuid-3', claims: { [CONTEXT]: { id: '1' } } }, at)).toBe(false);
    expect(await fx.runtime.store.lmsUserLinks.lookup(platformId, ['77', '78'])).toEqual(new Map([['77', 'uuid-1']]));
    await recordLaunchLink(fx.runtime.store, { platformId, userId: 'uuid-1b', claims: { [CUSTOM]: { canvas_user_id: '77' } } }, at);
    expect(await fx.runtime.store.lmsUserLinks.lookup(platformId, ['77'])).toEqual(new Map([['77', 'uuid-1b']]));
  });
});

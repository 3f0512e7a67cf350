/** Deep Linking 2.0 §4.4–§4.5 on the simulator: the request settings and the checks on the tool's response. */
import { SignJWT, generateKeyPair } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { fixture, START, type Fixture } from './fixture.ts';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function deepLinkLaunch(current: Fixture) {
  const page = await current.sim.launch({ clientId: current.clientId, userId: current.teacher.id, courseId: current.course.id, messageType: 'LtiDeepLinkingRequest' });
  const claims = current.tool.launches.at(-1)!;
  return { page, claims, settings: claims[`${DL}/deep_linking_settings`] as Record<string, unknown> };
}

/** A page such as the tool's own: a form posting the JWT to the return URL, without auto-submit. */
function pageWith(page: Awaited<ReturnType<typeof deepLinkLaunch>>['page'], returnUrl: string, jwt: string) {
  return { ...page, forms: [{ id: undefined, name: undefined, action: returnUrl, method: 'POST' as const, enctype: 'application/x-www-form-urlencoded', entries: [['JWT', jwt] as const], fields: { JWT: jwt }, autoSubmit: false, attributes: {} }] };
}

describe.each(['moodle', 'canvas'] as const)('%s flavour', (flavour) => {
  test('§4.4 the deep-linking request carries settings with the return URL and data, and no resource link', async () => {
    f = await fixture(flavour);
    const { claims, settings } = await deepLinkLaunch(f);
    expect(claims[`${LTI}/message_type`]).toBe('LtiDeepLinkingRequest');
    expect(claims[`${LTI}/resource_link`]).toBeUndefined();
    expect(settings).toMatchObject({ accept_types: ['ltiResourceLink'], accept_multiple: flavour === 'moodle', auto_create: false });
    expect(String(settings.deep_link_return_url).startsWith(f.sim.baseUrl)).toBe(true);
    expect(typeof settings.data).toBe('string');
  });

  test('§4.5 a valid response creates the activity with its line item and custom parameters', async () => {
    f = await fixture(flavour);
    const { page, claims, settings } = await deepLinkLaunch(f);
    const jwt = await f.tool.signDeepLinkResponse(claims, [{ type: 'ltiResourceLink', title: 'Badge: Data Literacy', custom: { credential: 'dl' }, lineItem: { scoreMaximum: 20, label: 'DL badge', resourceId: 'r1', tag: 'badge' } }]);
    const { receipt, page: result } = await f.sim.submitDeepLink(pageWith(page, String(settings.deep_link_return_url), jwt));
    expect(result.status).toBe(200);
    expect(receipt).toMatchObject({ ok: true, clientId: f.clientId, courseId: f.course.id });
    const activity = receipt.activities[0]!;
    expect(activity).toMatchObject({ title: 'Badge: Data Literacy', custom: { credential: 'dl' } });
    expect(f.sim.gradebook.lineItems(f.course.id).find((li) => li.itemId === activity.lineItemId)).toMatchObject({ label: 'DL badge', scoreMaximum: 20, resourceId: 'r1', tag: 'badge', resourceLinkId: activity.resourceLinkId });
    expect(f.sim.deepLinks).toHaveLength(1);
  });

  test.each([
    ['aud is not the platform issuer', { aud: 'https://elsewhere.example' }],
    ['iss is not the client id', { iss: 'someone' }],
    ['the deployment differs', { [`${LTI}/deployment_id`]: 'other' }],
    ['the message type is wrong', { [`${LTI}/message_type`]: 'LtiResourceLinkRequest' }],
    ['the version is missing', { [`${LTI}/version`]: undefined }],
    ['data is not echoed', { [`${DL}/data`]: 'changed' }],
    ['it expired', { exp: START / 1000 - 60 }],
    ['a content item is not a resource link', { [`${DL}/content_items`]: [{ type: 'file', url: 'https://x.example/f.pdf' }] }],
    ['a custom value is not a string', { [`${DL}/content_items`]: [{ type: 'ltiResourceLink', custom: { n: 1 } }] }],
    ['scoreMaximum is 0', { [`${DL}/content_items`]: [{ type: 'ltiResourceLink', lineItem: { scoreMaximum: 0 } }] }],
  ])('§4.5 when %s, then the platform refuses the response and creates nothing', async (_name, overrides) => {
    f = await fixture(flavour);
    const { page, claims, settings } = await deepLinkLaunch(f);
    const jwt = await f.tool.signDeepLinkResponse(claims, [{ type: 'ltiResourceLink', title: 'x' }], overrides);
    const { receipt, page: result } = await f.sim.submitDeepLink(pageWith(page, String(settings.deep_link_return_url), jwt));
    expect(result.status).toBe(400);
    expect(receipt.ok).toBe(false);
    expect(receipt.error).toBeTruthy();
    expect(receipt.activities).toHaveLength(0);
  });

  test('§4.5 when the response is signed by a key the tool does not publish, or its nonce is replayed, then it is refused', async () => {
    f = await fixture(flavour);
    const { page, claims, settings } = await deepLinkLaunch(f);
    const returnUrl = String(settings.deep_link_return_url);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ iss: f.clientId, aud: f.sim.issuer, nonce: 'n', [`${LTI}/message_type`]: 'LtiDeepLinkingResponse' }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt(START / 1000).setExpirationTime(START / 1000 + 60).sign(privateKey);
    expect((await f.sim.submitDeepLink(pageWith(page, returnUrl, forged))).receipt.ok).toBe(false);
    const once = await f.tool.signDeepLinkResponse(claims, [], { nonce: 'same' });
    expect((await f.sim.submitDeepLink(pageWith(page, returnUrl, once))).receipt.ok).toBe(true);
    const again = await f.tool.signDeepLinkResponse(claims, [], { nonce: 'same' });
    expect((await f.sim.submitDeepLink(pageWith(page, returnUrl, again))).receipt).toMatchObject({ ok: false, error: 'nonce was already used.' });
  });
});

test('Canvas accepts one content item per assignment_selection response', async () => {
  f = await fixture('canvas');
  const { page, claims, settings } = await deepLinkLaunch(f);
  const jwt = await f.tool.signDeepLinkResponse(claims, [{ type: 'ltiResourceLink', title: 'a' }, { type: 'ltiResourceLink', title: 'b' }]);
  expect((await f.sim.submitDeepLink(pageWith(page, String(settings.deep_link_return_url), jwt))).receipt.ok).toBe(false);
});

test('when the page has no form to the return URL, then submitDeepLink throws SIM_NO_DEEP_LINK_FORM', async () => {
  f = await fixture('moodle');
  const { page } = await deepLinkLaunch(f);
  await expect(f.sim.submitDeepLink(page)).rejects.toMatchObject({ code: 'SIM_NO_DEEP_LINK_FORM' });
});

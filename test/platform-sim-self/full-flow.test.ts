/** The simulator end to end against a minimal tool: registration → deep link → launch → AGS → NRPS, for both flavours. */
import { afterEach, describe, expect, test } from 'vitest';
import { startPlatform, type SimPlatform } from '../platform-sim/start-platform.ts';
import { startMiniTool, type MiniTool } from './mini-tool.ts';

let sim: SimPlatform | undefined;
let tool: MiniTool | undefined;
afterEach(async () => {
  await sim?.close();
  await tool?.close();
  sim = undefined;
  tool = undefined;
});

describe.each(['moodle', 'canvas'] as const)('%s flavour', (flavour) => {
  test('when a tool registers dynamically, deep links, launches and posts a score, then the platform records each step', async () => {
    sim = await startPlatform({ flavour });
    tool = await startMiniTool();
    const registration = await sim.dynamicRegister(tool.urls.register);
    expect(registration.status).toBe(flavour === 'moodle' ? 'pending' : 'active');
    expect(registration.closeMessageSeen).toBe(true);
    if (flavour === 'moodle') sim.activateTool(registration.clientId);
    const course = sim.addCourse({ title: 'Data Literacy 101' });
    const teacher = sim.addUser({ name: 'Tina Teacher' });
    const learner = sim.addUser({ name: 'Maria Schneider' });
    sim.enrol(course.id, teacher.id, 'Instructor');
    sim.enrol(course.id, learner.id, 'Learner');

    const picker = await sim.launch({ clientId: registration.clientId, userId: teacher.id, courseId: course.id, messageType: 'LtiDeepLinkingRequest' });
    expect(picker.status).toBe(200);
    // The instructor picks an item in the tool; the tool's auto-submitting form carries the response back.
    const linked = await sim.submitDeepLink(await picker.browser.submit(picker));
    expect(linked.receipt.error).toBeUndefined();
    expect(linked.receipt.activities).toHaveLength(1);
    const activity = linked.receipt.activities[0]!;
    expect(sim.gradebook.lineItems(course.id).find((li) => li.itemId === activity.lineItemId)).toMatchObject({ scoreMaximum: 10, label: 'Data Literacy', tag: 'badge' });

    const page = await sim.launch({ clientId: registration.clientId, userId: learner.id, courseId: course.id, activityId: activity.id });
    expect(page.html).toContain('data-launch="ok"');
    const claims = tool.launches.at(-1)!;
    expect(claims.iss).toBe(sim.issuer);
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/custom']).toMatchObject({ credential: 'data-literacy' });
    const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitem: string };

    const assertion = await tool.signAssertion({ iss: registration.clientId, sub: registration.clientId, jti: crypto.randomUUID() }, sim.urls.token);
    const tokenResponse = await fetch(sim.urls.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      }),
    });
    expect(tokenResponse.status).toBe(200);
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const lineItem = new URL(ags.lineitem);
    const scores = new URL(lineItem);
    scores.pathname += '/scores';
    const posted = await fetch(scores, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify({ userId: claims.sub, scoreGiven: 7, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() }),
    });
    expect(posted.status).toBe(200);
    expect(sim.gradebook.results(activity.id)).toMatchObject([{ userId: learner.id, resultScore: 7, resultMaximum: 10 }]);

    const nrps = claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as { context_memberships_url: string };
    const roster = await fetch(nrps.context_memberships_url, { headers: { authorization: `Bearer ${access_token}`, accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' } });
    expect(roster.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
    const members = ((await roster.json()) as { members: { name: string }[] }).members.map((m) => m.name).sort();
    expect(members).toEqual(['Maria Schneider', 'Tina Teacher']);
  });
});

/**
 * Issue 4 end to end against the simulated LMS over real HTTP (both flavours, both stores):
 * deep-linked definition → grade in the LMS gradebook → one scheduler tick → credential →
 * `microcred verify` → revoke on the instructor page → verify says revoked.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import type { CliIo } from '../../../lti-tool/src/cli/io.ts';
import { formFromDefinition } from '../../../lti-tool/src/issuance/definition-form.ts';
import { tick } from '../../../lti-tool/src/issuance/sync-scheduler.ts';
import type { BrowserPage } from '../../platform-sim/start-platform.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION } from '../issuance/issuance-fixture.ts';
import { sessionIdOf, startClassroom, type Classroom } from '../lti/sim-flow.ts';

const FLAVOURS = ['moodle', 'canvas'] as const;
const cases = STORE_KINDS.flatMap((kind) => FLAVOURS.map((flavour) => [flavour, kind] as const));

/** The form fields of a complete definition (examples/definition.json) with the given rule. */
function definitionFields(title: string, rule: Record<string, string>): Record<string, string> {
  const fields = formFromDefinition({ definition: { ...EXAMPLE_DEFINITION, title: { en: title } }, passRule: null, stackRule: null }) as Record<string, string>;
  delete fields.achievementId;
  return { ...fields, ...rule, action: 'publish' };
}

async function verify(url: string): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`), fetch: (u, init) => fetch(u, init), stdin: Readable.from(['']), env: {} };
  return { code: await runCli(['verify', url], io), out };
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe.each(cases)('automatic issuance against the simulated %s on %s', (flavour, kind) => {
  let room: Classroom;
  let platformId: string;
  let lena: string;
  const defs: Record<'scored' | 'completion' | 'stack', string> = { scored: '', completion: '', stack: '' };
  const activities: Record<'scored' | 'completion', string> = { scored: '', completion: '' };
  const syncTick = () => tick(room.tool.runtime.sync.issuance, { owner: 'test', now: () => new Date(), readCohort: room.tool.runtime.sync.readCohort });
  // By name: Canvas's LTI `sub` is not the LMS user id, so learner keys are not known to the test.
  const NAMES: Record<string, string> = {};
  const credentialOf = async (definitionId: string, userId: string) => (await room.tool.runtime.store.awards.currentForDefinition(definitionId)).find((c) => c.learnerName === NAMES[userId]);
  const teacherLaunch = (activityId: string) => room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, activityId });

  async function deepLinkDefinition(title: string, rule: Record<string, string>): Promise<{ definitionId: string; activityId: string }> {
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    const form = await picker.browser.navigate(`${room.tool.baseUrl}/lti/deep-link/definition?session=${encodeURIComponent(field(picker.html, 'session')!)}`);
    expect(form.status).toBe(200);
    const returned = await picker.browser.submit(form, (f) => f.action.includes('/lti/deep-link/definition'), definitionFields(title, rule));
    const { receipt } = await room.sim.submitDeepLink(returned);
    expect(receipt.ok).toBe(true);
    const item = receipt.contentItems[0] as { lineItem: { resourceId: string; tag: string; scoreMaximum: number }; custom: Record<string, string> };
    expect(item.lineItem.tag).toBe('microcred');
    expect(item.custom.definition_id).toBe(item.lineItem.resourceId);
    return { definitionId: item.lineItem.resourceId, activityId: receipt.activities[0]!.id };
  }

  beforeAll(async () => {
    room = await startClassroom(flavour, kind);
    platformId = (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id;
    lena = room.sim.addUser({ name: 'Lena Fischer', email: 'lena@example.edu' }).id;
    room.sim.enrol(room.courseId, lena, 'Learner');
    Object.assign(NAMES, { [room.learnerIds[0]!]: 'Maria Schneider', [room.learnerIds[1]!]: 'Jan Novak', [lena]: 'Lena Fischer' });
  });
  afterAll(() => room.close());

  test('Deep Linking: a definition missing a mandatory element is refused with the element named, and what was typed is kept', async () => {
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    const form = await picker.browser.navigate(`${room.tool.baseUrl}/lti/deep-link/definition?session=${encodeURIComponent(field(picker.html, 'session')!)}`);
    const refused = await picker.browser.submit(form, (f) => f.action.includes('/lti/deep-link/definition'), { ...definitionFields('Half-typed', { 'rule.kind': 'completion' }), 'workload.ects': '', 'workload.hours': '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(/workload/i);
    expect(refused.html).toContain('value="Half-typed"');
    expect(room.sim.deepLinks.filter((d) => d.ok)).toHaveLength(0);
  });

  test('when the instructor deep-links a definition and the teacher grades in the LMS, then one sync tick awards the passing learner only without any launch, and the credential verifies', async () => {
    ({ definitionId: defs.scored, activityId: activities.scored } = await deepLinkDefinition('Data Literacy', { 'rule.kind': 'min-score', 'rule.minScore': '50', 'rule.scoreMaximum': '100' }));
    ({ definitionId: defs.completion, activityId: activities.completion } = await deepLinkDefinition('Attended the workshop', { 'rule.kind': 'completion' }));
    // Nobody launches anything after the deep link: the scheduled tick finds the scored definition's line item by resourceId.
    expect((await room.tool.runtime.store.definitions.get(defs.scored))?.binding.lineItemId).toBeUndefined();
    const [maria, jan] = room.learnerIds as [string, string];
    room.sim.gradebook.setScore(activities.scored, maria, 8, 10);
    room.sim.gradebook.setScore(activities.scored, jan, 3, 10);
    const { runs } = await syncTick();
    expect(runs.some((r) => r.state === 'done' && r.summary.awarded === 1)).toBe(true);
    expect((await room.tool.runtime.store.definitions.get(defs.scored))?.binding.lineItemId).toBeTruthy();
    // The first launch of an activity binds it to its resource link (what a completion rule needs).
    await teacherLaunch(activities.completion);
    expect((await room.tool.runtime.store.definitions.get(defs.completion))?.binding.resourceLinkId).toBeTruthy();
    const credential = await credentialOf(defs.scored, maria);
    expect(credential).toBeDefined();
    expect(await credentialOf(defs.scored, jan)).toBeUndefined();

    const ok = await verify(`${room.tool.baseUrl}/credentials/${credential!.id}`);
    expect(ok.code, ok.out).toBe(0);
    // A replayed tick awards nothing twice.
    await syncTick();
    expect((await room.tool.runtime.store.awards.currentForDefinition(defs.scored)).length).toBe(1);
  });

  test('when a revoke form comes with a forged or missing CSRF token, then it is refused and nothing changes', async () => {
    const page = await teacherLaunch(activities.scored);
    const credential = (await credentialOf(defs.scored, room.learnerIds[0]!))!;
    for (const csrf of ['forged-token', undefined]) {
      const body = new URLSearchParams({ session: sessionIdOf(page)!, credentialId: credential.id, reason: 'x', ...(csrf ? { csrf } : {}) });
      const response = await fetch(`${room.tool.baseUrl}/lti/credentials/revoke?session=${encodeURIComponent(sessionIdOf(page)!)}`, { method: 'POST', body });
      expect(response.status).toBe(403);
    }
    expect((await room.tool.runtime.store.awards.credential(credential.id))?.revokedAt).toBeNull();
  });

  test('when the instructor revokes through the progress page, then `microcred verify` says revoked (exit 1)', async () => {
    const page = await teacherLaunch(activities.scored);
    expect(page.html).toContain('Maria Schneider');
    expect(page.html).toContain('data-state="issued"');
    const credential = (await credentialOf(defs.scored, room.learnerIds[0]!))!;
    const after = await page.browser.submit(page, (f) => f.action.includes('/lti/credentials/revoke') && f.fields.credentialId === credential.id, { reason: 'Assessment irregularity' });
    expect(after.status).toBe(200);
    expect(after.html).toContain('Assessment irregularity');
    const revoked = await verify(`${room.tool.baseUrl}/credentials/${credential.id}`);
    expect(revoked.code, revoked.out).toBe(1);
    expect(revoked.out).toMatch(/revoked/i);
  });

  test('when a learner launches, then the sync for that course runs at once and their credential is on "My credentials"', async () => {
    room.sim.gradebook.setScore(activities.scored, lena, 9, 10);
    const page = await room.sim.launch({ clientId: room.clientId, userId: lena, courseId: room.courseId, activityId: activities.completion });
    expect(await credentialOf(defs.scored, lena)).toBeDefined();
    expect(page.html).toContain('My credentials');
    expect(page.html).toContain('Data Literacy');
  });

  test('when a learner launches a completion-rule activity, then it is awarded on that launch', async () => {
    const jan = room.learnerIds[1]!;
    expect(await credentialOf(defs.completion, jan)).toBeUndefined();
    const page = await room.sim.launch({ clientId: room.clientId, userId: jan, courseId: room.courseId, activityId: activities.completion });
    expect(await credentialOf(defs.completion, jan)).toBeDefined();
    // What he is working towards, with the pass rule and his current score from AGS (3/10 on a 100-point item).
    expect(page.html).toContain('Score at least 50 out of 100');
    expect(page.html).toMatch(/your current score: (<!-- -->)?30/);
  });

  test('the learner hides a public page, and the instructor re-issues and exports CSV, all through the pages', async () => {
    const mine = await room.sim.launch({ clientId: room.clientId, userId: lena, courseId: room.courseId, activityId: activities.completion });
    const held = (await credentialOf(defs.scored, lena))!;
    const hidden = await mine.browser.submit(mine, (f) => f.action.includes('/lti/credentials/hide') && f.fields.credentialId === held.id);
    expect(hidden.status).toBe(200);
    expect((await room.tool.runtime.store.awards.credential(held.id))?.hiddenAt).not.toBeNull();

    const page = await teacherLaunch(activities.scored);
    const after = await page.browser.submit(page, (f) => f.action.includes('/lti/credentials/reissue') && f.fields.credentialId === held.id);
    expect(after.status).toBe(200);
    const replacement = (await credentialOf(defs.scored, lena))!;
    expect(replacement.id).not.toBe(held.id);
    expect((await room.tool.runtime.store.awards.credential(held.id))?.revokedAt).not.toBeNull();

    const session = sessionIdOf(page)!;
    const csv = await fetch(`${room.tool.baseUrl}/lti/definitions/${defs.scored}/progress.csv?session=${encodeURIComponent(session)}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('Learner,Score,Maximum,State,Issued,Credential URL,Revocation reason');
    expect(text).toContain('Maria Schneider');
    expect(text).toContain('Assessment irregularity');
    // A learner's session cannot export it.
    const learnerCsv = await fetch(`${room.tool.baseUrl}/lti/definitions/${defs.scored}/progress.csv?session=${encodeURIComponent(sessionIdOf(mine)!)}`);
    expect(learnerCsv.status).toBe(403);
  });

  test('when the parts of a stack are awarded through the sync, then the stack completes automatically', async () => {
    const page = await teacherLaunch(activities.scored);
    const session = sessionIdOf(page)!;
    const body = new URLSearchParams({ ...definitionFields('Data Pathway', { 'rule.kind': 'stack', 'stack.mode': 'allOf' }), session, csrf: field(page.html, 'csrf')! });
    body.append('stack.parts', defs.scored);
    body.append('stack.parts', defs.completion);
    const saved = await fetch(`${room.tool.baseUrl}/lti/definitions?session=${encodeURIComponent(session)}`, { method: 'POST', body, redirect: 'manual' });
    expect(saved.status).toBe(303);
    const stack = (await room.tool.runtime.store.definitions.listInContext({ platformId, deploymentId: room.deploymentId, contextId: (await room.tool.runtime.lti.session(session))!.contextId! })).find((d) => d.stackRule);
    expect(stack).toBeDefined();
    const jan = room.learnerIds[1]!;
    expect(await credentialOf(stack!.id, jan)).toBeUndefined();
    // Sessions expire and are pruned: the scheduled sync must not need one (the roster URL travels in the sync jobs).
    await room.tool.runtime.store.awards.db.run('DELETE FROM lti_sessions');
    room.sim.gradebook.setScore(activities.scored, jan, 10, 10);
    const { runs } = await syncTick();
    expect(runs.filter((r) => r.state !== 'done')).toEqual([]);
    expect(await credentialOf(defs.scored, jan)).toBeDefined();
    expect(await credentialOf(stack!.id, jan)).toBeDefined();
  });

  test('when the platform fails during a sync, then the tick does not throw, the instructor page shows the error, and the job waits for its backoff', async () => {
    const failing = () => Promise.reject(new Error('The platform answered HTTP 503 (Service Unavailable).'));
    const { runs } = await tick(room.tool.runtime.sync.issuance, { owner: 'test', now: () => new Date(), readCohort: failing });
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.state === 'retry')).toBe(true);
    const page = await teacherLaunch(activities.scored);
    expect(page.html).toContain('The last sync with the platform failed and will be retried: The platform answered HTTP 503');
  });
});

/**
 * Issue 7 end to end against the simulated LMS over real HTTP (both flavours, both stores): the
 * admin connects the LMS's REST API, the instructor deep-links a definition whose rule is "these
 * LMS modules/sections complete", a learner completes them in the LMS, and one scheduler tick
 * awards the credential with no learner action (Canvas: the learner's LTI id comes from NRPS with
 * rlid). A revoked token shows as an error to the admin, loses nothing, and the next watch after
 * reconnecting awards the rest, exactly once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formFromDefinition } from '../../../lti-tool/src/issuance/definition-form.ts';
import { tick } from '../../../lti-tool/src/issuance/sync-scheduler.ts';
import { lmsWatchJobKey } from '../../../lti-tool/src/lms/lms-watch.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION } from '../issuance/issuance-fixture.ts';
import { sessionIdOf, startClassroom, type Classroom } from '../lti/sim-flow.ts';

const FLAVOURS = ['moodle', 'canvas'] as const;
const cases = STORE_KINDS.flatMap((kind) => FLAVOURS.map((flavour) => [flavour, kind] as const));
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe.each(cases)('LMS completion watch against the simulated %s on %s', (flavour, kind) => {
  let room: Classroom;
  let platformId: string;
  let definitionId: string;
  let activityId: string;
  let moduleId: string;
  /** The two things a learner completes in the LMS: Moodle course modules (cmids), Canvas module items. */
  let parts: [string, string];
  let token: string;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const watchTick = () => tick(room.tool.runtime.sync.issuance, { owner: 'test', now, readCohort: room.tool.runtime.sync.readCohort, lmsWatch: room.tool.runtime.sync.lmsWatch });
  const holders = async () => (await room.tool.runtime.store.awards.currentForDefinition(definitionId)).map((c) => c.learnerName).sort();
  const complete = (userId: string, part: string) => (flavour === 'moodle' ? room.sim.moodle!.setCompletion(part, userId, 1) : room.sim.canvas!.completeRequirement(part, userId));
  const newToken = () => {
    if (flavour === 'moodle') return room.sim.moodle!.issueToken();
    const admin = room.sim.addUser({ name: 'Casey Admin' });
    room.sim.canvas!.addAccountAdmin(admin.id);
    return room.sim.canvas!.issueToken(admin.id);
  };

  beforeAll(async () => {
    room = await startClassroom(flavour, kind);
    platformId = (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id;
    if (flavour === 'moodle') {
      const week = room.sim.moodle!.addSection(room.courseId, { name: 'Week 1' });
      moduleId = week.id;
      parts = [room.sim.moodle!.addModule(room.courseId, { name: 'Quiz', sectionId: week.id }).cmid, room.sim.moodle!.addModule(room.courseId, { name: 'Essay', modname: 'assign', sectionId: week.id }).cmid];
    } else {
      const week = room.sim.canvas!.addModule(room.courseId, { name: 'Week 1', items: [{ title: 'Read', requirement: { type: 'must_view' } }, { title: 'Reflect', requirement: { type: 'must_mark_done' } }] });
      moduleId = week.id;
      parts = [week.items[0]!.id, week.items[1]!.id];
    }
  });
  afterAll(() => room.close());

  test('when the admin connects the LMS and the instructor deep-links a "module complete" definition, then a learner who completes it in the LMS is awarded by one tick, with no learner action, exactly once', async () => {
    token = newToken();
    const check = await room.tool.runtime.lms.saveToken({ platformId, kind: flavour, baseUrl: room.sim.baseUrl, token });
    expect(check.ok, check.message).toBe(true);
    // Stored sealed: the row holds no trace of the token.
    const rows = await room.tool.runtime.store.awards.db.query<Record<string, unknown>>('SELECT * FROM lms_connections WHERE platform_id = ?', [platformId]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);

    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    const form = await picker.browser.navigate(`${room.tool.baseUrl}/lti/deep-link/definition?session=${encodeURIComponent(field(picker.html, 'session')!)}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('Week 1');
    const fields = formFromDefinition({ definition: { ...EXAMPLE_DEFINITION, title: { en: 'Week 1 completed' } }, passRule: null, stackRule: null }) as Record<string, string>;
    delete fields.achievementId;
    const returned = await picker.browser.submit(form, (f) => f.action.includes('/lti/deep-link/definition'), { ...fields, 'rule.kind': 'lms', 'lms.criterion': 'modules-complete', 'lms.module': moduleId, action: 'publish' });
    const { receipt } = await room.sim.submitDeepLink(returned);
    expect(receipt.ok, receipt.error).toBe(true);
    definitionId = (receipt.contentItems[0] as { custom: Record<string, string> }).custom.definition_id!;
    activityId = receipt.activities[0]!.id;
    const saved = await room.tool.runtime.store.definitions.get(definitionId);
    expect(saved?.passRule).toMatchObject({ kind: 'lms', source: flavour, criterion: { kind: 'modules-complete', moduleIds: [moduleId] } });

    const [maria, jan] = room.learnerIds as [string, string];
    complete(maria, parts[0]);
    complete(maria, parts[1]);
    complete(jan, parts[0]); // half done: not awarded
    const first = await watchTick();
    expect(first.lmsRuns.map((r) => r.state)).toEqual(['done']);
    expect(await holders()).toEqual(['Maria Schneider']);
    const outcome = await room.tool.runtime.store.lmsWatchOutcomes.get(definitionId);
    expect(outcome).toMatchObject({ met: 1, awarded: 1, waitingIdentity: 0 });

    await watchTick();
    expect(await holders()).toEqual(['Maria Schneider']);
    // The award is Maria's under her LTI identity: her own launch lists it on "My credentials".
    const page = await room.sim.launch({ clientId: room.clientId, userId: maria, courseId: room.courseId, activityId });
    expect(sessionIdOf(page)).toBeTruthy();
    expect(page.html).toContain('My credentials');
    expect(page.html).toContain('Week 1 completed');
  });

  test('when the token is revoked, then the watch fails visibly for the admin and loses nothing; after reconnecting, the next watch awards the learner who completed meanwhile', async () => {
    const [, jan] = room.learnerIds as [string, string];
    expect((await room.tool.runtime.lms.get(platformId))?.status).toBe('ok');
    if (flavour === 'moodle') room.sim.moodle!.revokeToken(token);
    else room.sim.canvas!.revokeToken(token);
    complete(jan, parts[1]);
    const failed = await watchTick();
    expect(failed.lmsRuns.map((r) => r.state)).toEqual(['retry']);
    expect((await room.tool.runtime.lms.get(platformId))?.status).toBe('error');
    expect((await room.tool.runtime.lms.get(platformId))?.message).toMatch(/token/i);
    expect((await room.tool.runtime.store.jobs.latestFor(lmsWatchJobKey(platformId, room.courseId)))?.lastError).toMatch(/token/i);
    expect(await holders()).toEqual(['Maria Schneider']);

    const check = await room.tool.runtime.lms.saveToken({ platformId, kind: flavour, baseUrl: room.sim.baseUrl, token: newToken() });
    expect(check.ok, check.message).toBe(true);
    offset += 10 * 60_000; // past the job's backoff
    const again = await watchTick();
    expect(again.lmsRuns.some((r) => r.state === 'done')).toBe(true);
    expect(await holders()).toEqual(['Jan Novak', 'Maria Schneider']);
    expect((await room.tool.runtime.lms.get(platformId))?.status).toBe('ok');
  });

});

/**
 * Issue 7, the instructor side: "Completed in Moodle" in the definition form (flat HTML, no script)
 * and the watch status on the progress view, over the real tool app, a real LTI launch from the
 * simulated Moodle, and the real LmsConnections over a scripted LMS source. The rule's LMS and
 * course come from the session, never from the form; a failure to read the outline is explained
 * and loses nothing typed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formFromDefinition } from '../../../lti-tool/src/issuance/definition-form.ts';
import { LmsError } from '../../../lti-tool/src/lms/lms-source.ts';
import type { DefinitionRecord } from '../../../lti-tool/src/store/definition-repository.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { EXAMPLE_DEFINITION } from '../issuance/issuance-fixture.ts';
import { startClassroom, type Classroom } from '../lti/sim-flow.ts';
import { fakeLms, type FakeLms } from './lms-fake-lms.ts';

const TOKEN = 'moodle-ws-token-0123456789abcdef';
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe('definition form: award on completion in Moodle', () => {
  let room: Classroom;
  let lms: FakeLms;
  let session: string;
  let csrf: string;
  let platformId: string;

  beforeAll(async () => {
    room = await startClassroom('moodle', STORE_KINDS[0]!, {
      appDeps: (runtime) => {
        lms = fakeLms(runtime);
        return { ...runtime, lms: lms.connections };
      },
    });
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    session = field(picker.html, 'session')!;
    csrf = field(picker.html, 'csrf')!;
    platformId = (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id;
    lms.outlines.set(room.courseId, {
      courseId: room.courseId,
      courseCompletion: true,
      modules: [
        { id: '11', name: 'Week 1: Data basics', activities: [{ id: '101', name: 'Intro quiz', type: 'quiz', tracked: true }, { id: '102', name: 'Reading <notes>', type: 'page', tracked: false }] },
        { id: '12', name: 'Week 2: Open data', activities: [{ id: '103', name: 'Essay', type: 'assign', tracked: true }] },
      ],
      gradeItems: [{ id: '501', name: 'Intro quiz', maximum: 10 }, { id: '502', name: 'Essay', maximum: 20 }],
    });
  });
  afterAll(() => room.close());

  const q = () => `session=${encodeURIComponent(session)}`;
  const page = async (path: string) => (await fetch(`${room.tool.baseUrl}${path}${path.includes('?') ? '&' : '?'}${q()}`)).text();
  const baseFields = (title: string) => {
    const fields = formFromDefinition({ definition: { ...EXAMPLE_DEFINITION, title: { en: title } }, passRule: null, stackRule: null }) as Record<string, string | string[]>;
    delete fields.achievementId;
    return fields;
  };
  const submit = async (fields: Record<string, string | string[]>, id?: string) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...fields, action: 'publish', session, csrf })) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    const response = await fetch(`${room.tool.baseUrl}/lti/definitions?${q()}${id ? `&id=${encodeURIComponent(id)}` : ''}`, { method: 'POST', body, redirect: 'manual' });
    return { status: response.status, html: await response.text() };
  };
  const titled = async (title: string): Promise<DefinitionRecord | undefined> =>
    (await room.tool.runtime.store.definitions.listInContext({ platformId, deploymentId: room.deploymentId, contextId: room.courseId })).find((d) => (d.definition.title as Record<string, string>).en === title);

  test('when the platform has no LMS connection, then the choice explains an admin must connect it first, and a rule sent anyway is refused with that reason', async () => {
    const html = await page('/lti/definitions/new');
    expect(html).toContain('data-lms-choice="unavailable"');
    expect(html).toContain('A microcred admin must first connect');
    expect(html).toMatch(/<input type="radio" name="rule.kind" value="lms" disabled/);
    const refused = await submit({ ...baseFields('Unconnected'), 'rule.kind': 'lms', 'lms.criterion': 'course-complete' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('ask your microcred admin to connect it first');
    expect(refused.html).toContain('value="Unconnected"');
    expect(await titled('Unconnected')).toBeUndefined();
  });

  test('when Moodle is connected, then the form lists the Moodle criteria and the course outline (sections, activities, grade items) as checkboxes', async () => {
    expect(await lms.connections.saveToken({ platformId, kind: 'moodle', baseUrl: room.sim.issuer, token: TOKEN }).then((c) => c.ok)).toBe(false);
    lms.tokens.set(TOKEN, []);
    expect(await lms.connections.saveToken({ platformId, kind: 'moodle', baseUrl: room.sim.issuer, token: TOKEN })).toMatchObject({ ok: true });
    const html = await page('/lti/definitions/new');
    expect(html).toContain('data-lms-choice="ready"');
    expect(lms.outlineCalls.at(-1)).toBe(room.courseId);
    expect(html).toContain('Completed in Moodle');
    for (const kind of ['activities-complete', 'modules-complete', 'course-complete', 'min-grade']) expect(html).toContain(`name="lms.criterion" value="${kind}"`);
    expect(html).not.toContain('value="module-requirements"');
    expect(html).toContain('<input type="checkbox" name="lms.module" value="11"/>');
    expect(html).toContain('<input type="checkbox" name="lms.activity" value="101"/>');
    // Moodle does not track the page's completion: it cannot be chosen.
    expect(html).toMatch(/name="lms.activity" value="102" disabled/);
    expect(html).toContain('Reading &lt;notes>');
    expect(html).toContain('name="lms.min.502"');
    expect(html).toContain('of 20');
  });

  test('when the instructor picks a minimum grade, then the rule names this course in Moodle (whatever the form says) and the edit form shows the choice again', async () => {
    const typed = { ...baseFields('Quiz master'), 'rule.kind': 'lms', 'lms.criterion': 'min-grade', 'lms.gradeItem': '501', 'lms.min.501': '7', 'lms.max.501': '10', 'lms.name.501': 'Intro quiz', 'lms.min.502': '', courseId: '999', source: 'canvas' };
    const saved = await submit(typed);
    expect(saved.status).toBe(303);
    const record = await titled('Quiz master');
    expect(record?.passRule).toEqual({ kind: 'lms', source: 'moodle', courseId: room.courseId, criterion: { kind: 'min-grade', items: [{ id: '501', name: 'Intro quiz', minimum: 7, maximum: 10 }] } });
    const edit = await page(`/lti/definitions/${encodeURIComponent(record!.id)}/edit`);
    expect(edit).toContain('<input type="radio" name="rule.kind" value="lms" checked/>');
    expect(edit).toContain('<input type="radio" name="lms.criterion" value="min-grade" checked/>');
    expect(edit).toContain('<input type="checkbox" name="lms.gradeItem" value="501" checked/>');
    expect(edit).toMatch(/name="lms.min.501" inputmode="decimal" size="6" value="7"/i);
  });

  test('when the criterion lacks its choice, then the form names what is missing and keeps what was typed', async () => {
    const refused = await submit({ ...baseFields('Half done'), 'rule.kind': 'lms', 'lms.criterion': 'activities-complete', 'lms.module': '12' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Choose at least one activity.');
    expect(refused.html).toContain('<input type="radio" name="lms.criterion" value="activities-complete" checked/>');
    expect(refused.html).toContain('<input type="checkbox" name="lms.module" value="12" checked/>');
    expect(refused.html).toContain('value="Half done"');
    expect(await titled('Half done')).toBeUndefined();
  });

  test('when the token was revoked, then the form says why the outline cannot be read and who can fix it, and a save keeps the chosen rule', async () => {
    const record = (await titled('Quiz master'))!;
    lms.tokens.delete(TOKEN);
    const edit = await page(`/lti/definitions/${encodeURIComponent(record.id)}/edit`);
    expect(edit).toContain('data-lms-unreadable');
    expect(edit).toContain('ask your microcred admin to connect the LMS again');
    for (const [name, value] of [['lms.gradeItem', '501'], ['lms.min.501', '7'], ['lms.max.501', '10']]) expect(edit).toContain(`<input type="hidden" name="${name}" value="${value}"/>`);
    // Resubmitting exactly what the page holds keeps the rule.
    const fields: Record<string, string[]> = {};
    for (const [, name, value] of edit.matchAll(/<input type="hidden" name="(lms\.[^"]+)" value="([^"]*)"\/>/g)) (fields[name!] ??= []).push(value!);
    const saved = await submit({ ...baseFields('Quiz master'), 'rule.kind': 'lms', 'lms.criterion': 'min-grade', ...fields }, record.id);
    expect(saved.status).toBe(303);
    expect((await titled('Quiz master'))?.passRule).toEqual(record.passRule);
    lms.tokens.set(TOKEN, []);
    lms.outlineError = new LmsError('LMS_FUNCTION_NOT_ALLOWED', 'Moodle does not allow the tool’s token to call core_course_get_contents', { missing: ['core_course_get_contents'] });
    const denied = await page(`/lti/definitions/${encodeURIComponent(record.id)}/edit`);
    expect(denied).toContain('Not allowed: core_course_get_contents.');
    lms.outlineError = undefined;
  });

  test('the progress view shows the rule in words, then the last watch: learners, met, awarded, waiting for identity, and the last error', async () => {
    const record = (await titled('Quiz master'))!;
    const activity = room.sim.addActivity(room.courseId, { title: 'microcred', clientId: room.clientId });
    const launched = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, activityId: activity.id });
    const home = async () => (await fetch(`${room.tool.baseUrl}/lti/home?session=${encodeURIComponent(/data-session="([^"]+)"/.exec(launched.html)![1]!)}`)).text();
    const before = await home();
    expect(before).toContain('Earned when:</strong> Intro quiz: at least 7 of 10');
    expect(before).toContain('data-lms-outcome="none"');
    await room.tool.runtime.store.lmsWatchOutcomes.recordCounts(record.id, { learners: 40, met: 12, awarded: 9, alreadyAwarded: 1, waitingIdentity: 2 }, Date.UTC(2026, 2, 4, 10, 30));
    const after = await home();
    expect(after).toContain('Last checked 2026-03-04 10:30 UTC: 40 learners in the course, 12 meet the rule, 9 newly awarded, 1 already held it.');
    expect(after).toContain('2 meet the rule but are waiting for their identity');
    await room.tool.runtime.store.lmsWatchOutcomes.recordError(record.id, 'Moodle no longer accepts the tool’s token.', Date.UTC(2026, 2, 4, 11, 0));
    const failed = await home();
    expect(failed).toMatch(/data-lms-error[^>]*>The last check of the LMS failed and will be retried: Moodle no longer accepts the tool’s token./);
  });
});

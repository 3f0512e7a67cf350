/**
 * Issue 7 pages end to end with nothing stood in for but the LMS itself: the real runtime (its
 * LmsConnections and Moodle source) against the simulated Moodle's web services over HTTP. The
 * admin connects with a token from the admin page, the instructor picks from the course outline
 * Moodle returns, and a revoked token is explained on both sides.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS } from '../../setup/databases.ts';
import { MOODLE_WS_FUNCTIONS } from '../../platform-sim/moodle-ws-model.ts';
import type { MoodleSim } from '../../platform-sim/moodle-sim-api.ts';
import { startClassroom, type Classroom } from '../lti/sim-flow.ts';

describe('LMS pages against the simulated Moodle web services', () => {
  let room: Classroom;
  let moodle: MoodleSim;
  let cookie: string;
  let csrf: string;
  let platformPath: string;
  let session: string;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    room = await startClassroom('moodle', STORE_KINDS[0]!);
    moodle = room.sim.moodle!;
    const week1 = moodle.addSection(room.courseId, { name: 'Week 1: Data basics' });
    const quiz = moodle.addModule(room.courseId, { name: 'Intro quiz', sectionId: week1.id, grade: { grademax: 10 } });
    const essay = moodle.addModule(room.courseId, { name: 'Essay', modname: 'assign', sectionId: week1.id, grade: { grademax: 20 } });
    Object.assign(ids, { week1: week1.id, quiz: quiz.cmid, essay: essay.cmid, quizGrade: quiz.gradeItemId! });
    const platformId = (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id;
    platformPath = `/admin/lms/platforms/${encodeURIComponent(platformId)}`;
    const signIn = await fetch(`${room.tool.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: room.tool.runtime.lti.adminToken }), redirect: 'manual' });
    cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    session = /name="session" value="([^"]+)"/.exec(picker.html)![1]!;
  });
  afterAll(() => room.close());

  const admin = async (path: string, fields?: Record<string, string>) => {
    const response = await fetch(`${room.tool.baseUrl}${path}`, fields ? { method: 'POST', headers: { cookie }, body: new URLSearchParams({ ...fields, csrf }), redirect: 'manual' } : { headers: { cookie } });
    return { status: response.status, html: await response.text(), location: response.headers.get('location') };
  };
  const form = async () => (await fetch(`${room.tool.baseUrl}/lti/definitions/new?session=${encodeURIComponent(session)}`)).text();

  test('when the web service lacks a function, then the admin page names it; with a full token the platform is connected, using the prefilled Moodle URL', async () => {
    const page = await admin(platformPath);
    csrf = /name="csrf" value="([^"]+)"/.exec(page.html)![1]!;
    // Moodle's issuer is its wwwroot, so the site URL is prefilled with it.
    const siteUrl = /name="base_url" required value="([^"]+)"/.exec(page.html)![1]!;
    expect(siteUrl).toBe(room.sim.issuer);
    const partial = moodle.issueToken({ functions: MOODLE_WS_FUNCTIONS.filter((f) => f !== 'gradereport_user_get_grade_items') });
    const refused = await admin(`${platformPath}/token`, { kind: 'moodle', base_url: siteUrl, token: partial });
    expect(refused.status).toBe(400);
    const notice = /data-notice="failed">([\s\S]*?)<\/div>/.exec(refused.html)?.[1] ?? '';
    expect(notice).toContain('<code>gradereport_user_get_grade_items</code>');
    expect(notice).not.toContain('core_course_get_contents');
    expect(refused.html).not.toContain(partial);

    token = moodle.issueToken();
    const saved = await admin(`${platformPath}/token`, { kind: 'moodle', base_url: siteUrl, token });
    expect(saved.status).toBe(303);
    const connected = await admin(platformPath);
    expect(connected.html).toContain('data-lms-state="ok"');
    expect(connected.html).not.toContain(token);
  });

  test('when Moodle is connected, then the instructor picks from the sections, activities and grade items Moodle lists for the course', async () => {
    const html = await form();
    expect(html).toContain('data-lms-choice="ready"');
    expect(html).toContain(`<input type="checkbox" name="lms.module" value="${ids.week1}"/>`);
    expect(html).toMatch(new RegExp(`name="lms.activity" value="${ids.quiz}"/> Intro quiz`));
    expect(html).toMatch(new RegExp(`name="lms.activity" value="${ids.essay}"/> Essay`));
    expect(html).toContain(`name="lms.min.${ids.quizGrade}"`);
    expect(html).toContain(`<input type="hidden" name="lms.max.${ids.quizGrade}" value="10"/>`);
  });

  test('when the token is revoked in Moodle, then the form explains who can fix it, and "Test again" shows the admin the error', async () => {
    moodle.revokeToken(token);
    const html = await form();
    expect(html).toContain('data-lms-unreadable');
    expect(html).toContain('ask your microcred admin to connect the LMS again');
    const rechecked = await admin(`${platformPath}/recheck`, {});
    expect(rechecked.status).toBe(400);
    expect(rechecked.html).toContain('data-notice="failed"');
    expect(rechecked.html).toContain('data-lms-state="error"');
  });
});

/**
 * Issue 7 pages end to end against the simulated Canvas (its OAuth2 endpoints and REST API over
 * HTTP) with the real runtime: the admin connects with a developer API key, Canvas sends the
 * browser back to the tool's callback, and the connection is checked; a declined authorisation
 * connects nothing; the instructor then picks from Canvas's modules. No page ever carries the
 * client secret.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS } from '../../setup/databases.ts';
import type { CanvasSim } from '../../platform-sim/canvas-sim-api.ts';
import { startClassroom, type Classroom } from '../lti/sim-flow.ts';

describe('Canvas OAuth2 with a developer API key, against the simulated Canvas', () => {
  let room: Classroom;
  let canvas: CanvasSim;
  let cookie: string;
  let csrf: string;
  let platformPath: string;
  let platformId: string;
  let key: { clientId: string; clientSecret: string };
  let outline: { module: ReturnType<CanvasSim['addModule']>; assignment: { id: string } };
  const pages: string[] = [];

  beforeAll(async () => {
    room = await startClassroom('canvas', STORE_KINDS[0]!);
    canvas = room.sim.canvas!;
    const admin = room.sim.addUser({ name: 'Ada Admin' });
    canvas.addAccountAdmin(admin.id);
    canvas.signIn(admin.id);
    const assignment = canvas.addAssignment(room.courseId, { name: 'Final essay', pointsPossible: 20 });
    outline = { assignment, module: canvas.addModule(room.courseId, { name: 'Module 1: Open data', items: [{ title: 'Final essay', type: 'Assignment', assignmentId: assignment.id, requirement: { type: 'must_submit' } }] }) };
    key = canvas.registerDeveloperKey({ redirectUris: [`${room.tool.baseUrl}/admin/lms/canvas/callback`] });
    platformId = (await room.tool.runtime.store.ltiPlatforms.byIssuerAndClientId(room.sim.issuer, room.clientId))!.id;
    platformPath = `/admin/lms/platforms/${encodeURIComponent(platformId)}`;
    const signIn = await fetch(`${room.tool.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: room.tool.runtime.lti.adminToken }), redirect: 'manual' });
    cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${room.tool.baseUrl}${platformPath}`, { headers: { cookie } })).text())![1]!;
  });
  afterAll(async () => {
    for (const html of pages) expect(html).not.toContain(key.clientSecret);
    await room.close();
  });

  /** The admin's browser: the tool's page sends it to Canvas, Canvas (approving or not) back to the tool's callback. */
  async function authorise(answer: 'auto' | 'deny'): Promise<{ status: number; html: string }> {
    const start = await fetch(`${room.tool.baseUrl}${platformPath}/canvas-oauth`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ base_url: room.sim.baseUrl, client_id: key.clientId, client_secret: key.clientSecret, csrf }) });
    const startHtml = await start.text();
    pages.push(startHtml);
    expect(start.status).toBe(200);
    const authorizeUrl = /id="authorize" href="([^"]+)"/.exec(startHtml)![1]!.replaceAll('&amp;', '&');
    expect(authorizeUrl.startsWith(`${room.sim.baseUrl}/login/oauth2/auth?`)).toBe(true);
    let response = await fetch(authorizeUrl, { redirect: 'manual' });
    let html = '';
    for (let hops = 0; hops < 5; hops += 1) {
      if (response.status >= 300 && response.status < 400) {
        // Canvas's redirect back is cross-site: the admin cookie (SameSite=Strict) does not travel with it.
        response = await fetch(new URL(response.headers.get('location')!, authorizeUrl), { redirect: 'manual' });
        continue;
      }
      html = await response.text();
      const pending = answer === 'deny' ? /id="oauth2_deny_form"[^>]*>\s*<input type="hidden" name="pending" value="([^"]+)"/.exec(html)?.[1] : undefined;
      if (!pending) break;
      response = await fetch(`${room.sim.baseUrl}/login/oauth2/deny`, { method: 'POST', body: new URLSearchParams({ pending }), redirect: 'manual' });
    }
    pages.push(html);
    return { status: response.status, html };
  }

  test('when the Canvas admin cancels on the authorisation page, then nothing is connected and the page says it was declined', async () => {
    canvas.autoApprove(false);
    const back = await authorise('deny');
    expect(back.status).toBe(400);
    expect(back.html).toContain('declined');
    expect(await room.tool.runtime.lms.get(platformId)).toMatchObject({ status: 'authorize' });
    expect(await room.tool.runtime.lms.source(platformId)).toBeUndefined();
  });

  test('when the Canvas admin approves, then the tool is connected with OAuth2, the admin page shows it, and the instructor picks from the Canvas modules', async () => {
    canvas.autoApprove(true);
    const back = await authorise('auto');
    expect(back.status).toBe(200);
    expect(back.html).toContain('Canvas is connected');
    expect(await room.tool.runtime.lms.get(platformId)).toMatchObject({ status: 'ok', kind: 'canvas', authType: 'oauth2' });
    const list = await (await fetch(`${room.tool.baseUrl}/admin/lms`, { headers: { cookie } })).text();
    pages.push(list);
    expect(list).toMatch(new RegExp(`data-platform="${platformId}"[\\s\\S]*?data-lms-state="ok"[^>]*>Connected to Canvas`));
    const picker = await room.sim.launch({ clientId: room.clientId, userId: room.teacherId, courseId: room.courseId, messageType: 'LtiDeepLinkingRequest' });
    const session = /name="session" value="([^"]+)"/.exec(picker.html)![1]!;
    const form = await (await fetch(`${room.tool.baseUrl}/lti/definitions/new?session=${encodeURIComponent(session)}`)).text();
    // The launch carries canvas_course_id (a custom parameter of the registration), so the outline is Canvas's own.
    expect(form).toContain('data-lms-choice="ready"');
    expect(form).toContain('Completed in Canvas');
    expect(form).toContain('name="lms.criterion" value="module-requirements"');
    expect(form).not.toContain('value="course-complete"');
    expect(form).toContain(`<input type="checkbox" name="lms.module" value="${outline.module.id}"/>`);
    expect(form).toMatch(new RegExp(`name="lms.activity" value="${outline.module.items[0]!.id}"/> Final essay`));
    expect(form).toContain(`<input type="hidden" name="lms.max.${outline.assignment.id}" value="20"/>`);
  });
});

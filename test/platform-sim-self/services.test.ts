/** AGS 2.0 §3.2–§3.5 and NRPS 2.0 §3 on the simulator: media types, CRUD, score validation, results, paging and role filters. */
import { afterEach, describe, expect, test } from 'vitest';
import { AGS_MEDIA, AGS_SCOPES, NRPS_MEDIA, NRPS_SCOPE } from '../platform-sim/index.ts';
import { accessToken, fixture, START, type Fixture } from './fixture.ts';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const ALL_AGS = Object.values(AGS_SCOPES).join(' ');

function nextLink(response: Response): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
}

function scoresUrl(lineItemUrl: string, suffix: '/scores' | '/results'): string {
  const url = new URL(lineItemUrl);
  url.pathname += suffix;
  return url.toString();
}

async function call(url: string, token: string, init: { method?: string; type?: string; body?: unknown; accept?: string } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.type ? { 'content-type': init.type } : {}), ...(init.accept ? { accept: init.accept } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { response, status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

function score(userId: string, extra: Record<string, unknown> = {}) {
  return { userId, scoreGiven: 7, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date(START).toISOString(), ...extra };
}

describe.each(['moodle', 'canvas'] as const)('AGS 2.0 on the %s flavour', (flavour) => {
  test('§3.2 line item container: create with 201, list with filters and page through Link rel="next"', async () => {
    f = await fixture(flavour);
    const token = await accessToken(f, ALL_AGS);
    const container = f.sim.urls.lineItems(f.course.id, f.clientId);
    for (let i = 1; i <= 4; i++) {
      const created = await call(container, token, { method: 'POST', type: AGS_MEDIA.lineItem, body: { label: `Badge ${i}`, scoreMaximum: 10 * i, resourceId: `badge-${i}`, tag: i % 2 ? 'odd' : 'even' } });
      expect(created.status).toBe(201);
      expect(created.response.headers.get('location')).toBe((created.body as { id: string }).id);
    }
    const seen: string[] = [];
    let url: string | undefined = `${container}${container.includes('?') ? '&' : '?'}limit=2`;
    let pages = 0;
    while (url) {
      const page = await call(url, token, { accept: AGS_MEDIA.container });
      expect(page.response.headers.get('content-type')).toContain(AGS_MEDIA.container);
      seen.push(...(page.body as { label: string }[]).map((li) => li.label));
      url = nextLink(page.response);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['Final quiz', 'Badge 1', 'Badge 2', 'Badge 3', 'Badge 4']);
    const odd = await call(`${container}${container.includes('?') ? '&' : '?'}tag=odd`, token);
    expect((odd.body as { label: string }[]).map((li) => li.label)).toEqual(['Badge 1', 'Badge 3']);
    const byLink = await call(`${container}${container.includes('?') ? '&' : '?'}resource_link_id=${encodeURIComponent(f.activity.resourceLinkId)}`, token);
    expect((byLink.body as { label: string }[]).map((li) => li.label)).toEqual(['Final quiz']);
  });

  test('§3.3 line item: get, update, delete; an activity\'s own line item cannot be deleted', async () => {
    f = await fixture(flavour);
    const token = await accessToken(f, ALL_AGS);
    const created = await call(f.sim.urls.lineItems(f.course.id, f.clientId), token, { method: 'POST', type: AGS_MEDIA.lineItem, body: { label: 'Extra', scoreMaximum: 5 } });
    const id = (created.body as { id: string }).id;
    expect((await call(id, token)).body).toMatchObject({ id, label: 'Extra', scoreMaximum: 5 });
    const updated = await call(id, token, { method: 'PUT', type: AGS_MEDIA.lineItem, body: { id, label: 'Renamed', scoreMaximum: 8, tag: 't' } });
    expect(updated.body).toMatchObject({ label: 'Renamed', scoreMaximum: 8, tag: 't' });
    expect((await call(id, token, { method: 'DELETE' })).status).toBe(204);
    expect((await call(id, token)).status).toBe(404);
    const own = f.sim.urls.lineItem(f.course.id, f.activity.lineItemId!, f.clientId);
    expect((await call(own, token, { method: 'DELETE' })).status).toBe(403);
    const invalid = await call(f.sim.urls.lineItems(f.course.id, f.clientId), token, { method: 'POST', type: AGS_MEDIA.lineItem, body: { label: 'No max' } });
    expect(invalid.status).toBe(400);
  });

  test('§3.4 scores: a valid score lands normalised in the gradebook; invalid ones are refused with a reason', async () => {
    f = await fixture(flavour);
    const token = await accessToken(f, ALL_AGS);
    const lineItem = f.sim.urls.lineItem(f.course.id, f.activity.lineItemId!, f.clientId);
    const scores = scoresUrl(lineItem, '/scores');
    const learnerId = flavour === 'canvas' ? f.learner.ltiId : f.learner.id;
    expect((await call(scores, token, { method: 'POST', type: AGS_MEDIA.score, body: score(learnerId) })).status).toBe(200);
    expect(f.sim.gradebook.results(f.activity.id)).toMatchObject([{ userId: f.learner.id, resultScore: 70, resultMaximum: 100, source: 'tool' }]);
    const refused = [
      score(learnerId, { scoreMaximum: undefined, timestamp: new Date(START + 1000).toISOString() }),
      score(learnerId, { timestamp: 'yesterday' }),
      score(learnerId, { activityProgress: 'Done', timestamp: new Date(START + 1000).toISOString() }),
      score(learnerId, { scoreGiven: -1, timestamp: new Date(START + 1000).toISOString() }),
      score(learnerId), // not after the stored timestamp
    ];
    for (const body of refused) expect((await call(scores, token, { method: 'POST', type: AGS_MEDIA.score, body })).status).toBe(400);
    const teacherId = flavour === 'canvas' ? f.teacher.ltiId : f.teacher.id;
    const notStudent = await call(scores, token, { method: 'POST', type: AGS_MEDIA.score, body: score(teacherId) });
    expect(notStudent.status).toBe(flavour === 'canvas' ? 422 : 400);
    const plainJson = await call(scores, token, { method: 'POST', type: 'application/json', body: score(learnerId, { timestamp: new Date(START + 5000).toISOString() }) });
    expect(plainJson.status).toBe(flavour === 'canvas' ? 200 : 415);
  });

  test('§3.5 results: paging, user filter, and a teacher\'s grade from the gradebook', async () => {
    f = await fixture(flavour);
    const second = f.sim.addUser({ name: 'Lena Learner' });
    f.sim.enrol(f.course.id, second.id, 'Learner');
    const token = await accessToken(f, ALL_AGS);
    const lineItem = f.sim.urls.lineItem(f.course.id, f.activity.lineItemId!, f.clientId);
    await call(scoresUrl(lineItem, '/scores'), token, { method: 'POST', type: AGS_MEDIA.score, body: score(flavour === 'canvas' ? f.learner.ltiId : f.learner.id) });
    f.sim.gradebook.setScore(f.activity.id, second.id, 45, 50);
    const results = scoresUrl(lineItem, '/results');
    const first = await call(`${results}${results.includes('?') ? '&' : '?'}limit=1`, token, { accept: AGS_MEDIA.results });
    expect(first.response.headers.get('content-type')).toContain(AGS_MEDIA.results);
    expect(first.body).toHaveLength(1);
    const next = nextLink(first.response)!;
    const rest = await call(next, token);
    expect(nextLink(rest.response)).toBeUndefined();
    const all = [...(first.body as { resultScore: number }[]), ...(rest.body as { resultScore: number }[])];
    expect(all.map((r) => r.resultScore).sort()).toEqual([70, 90]);
    expect(all.every((r) => (r as unknown as { scoreOf: string }).scoreOf === lineItem)).toBe(true);
    const secondId = flavour === 'canvas' ? second.ltiId : second.id;
    const filtered = await call(`${results}${results.includes('?') ? '&' : '?'}user_id=${encodeURIComponent(secondId)}`, token);
    expect(filtered.body).toMatchObject([{ userId: secondId, resultScore: 90, resultMaximum: 100 }]);
  });

  test('when the token lacks the scope or the line item belongs to another tool, then 403', async () => {
    f = await fixture(flavour);
    const scoreOnly = await accessToken(f, AGS_SCOPES.score);
    const listed = await call(f.sim.urls.lineItems(f.course.id, f.clientId), scoreOnly);
    expect(listed.status).toBe(403);
    expect(listed.response.headers.get('www-authenticate')).toContain('insufficient_scope');
    const other = f.sim.registerToolManually({ loginUrl: f.tool.urls.login, redirectUris: [f.tool.urls.launch], jwksUrl: f.tool.urls.jwks, targetLinkUri: f.tool.urls.launch });
    const foreign = f.sim.addActivity(f.course.id, { title: 'Other tool', clientId: other.clientId, lineItem: { scoreMaximum: 10, label: 'Other' } });
    const token = await accessToken(f, ALL_AGS);
    const foreignUrl = flavour === 'canvas' ? f.sim.urls.lineItem(f.course.id, foreign.lineItemId!, other.clientId) : f.sim.urls.lineItem(f.course.id, foreign.lineItemId!, f.clientId);
    expect((await call(foreignUrl, token)).status).toBe(403);
    if (flavour === 'moodle') expect((await call(f.sim.urls.lineItems(f.course.id, other.clientId), token)).status).toBe(403);
  });
});

describe.each(['moodle', 'canvas'] as const)('NRPS 2.0 on the %s flavour', (flavour) => {
  test('§3 membership container with paging and role filter', async () => {
    f = await fixture(flavour);
    f.sim.enrol(f.course.id, f.sim.addUser({ name: 'Lena Learner' }).id, 'Learner');
    const token = await accessToken(f, NRPS_SCOPE);
    const base = f.sim.urls.memberships(f.course.id, f.clientId);
    const names: string[] = [];
    let url: string | undefined = `${base}?limit=2`;
    while (url) {
      const page = await call(url, token, { accept: NRPS_MEDIA });
      expect(page.response.headers.get('content-type')).toContain(NRPS_MEDIA);
      expect(page.body).toMatchObject({ context: { id: f.course.contextId, title: 'Data Literacy 101' } });
      names.push(...(page.body as { members: { name: string }[] }).members.map((m) => m.name));
      url = nextLink(page.response);
    }
    expect(names.sort()).toEqual(['Lena Learner', 'Maria Schneider', 'Tina Teacher']);
    for (const role of ['Learner', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']) {
      const learners = await call(`${base}?role=${encodeURIComponent(role)}`, token);
      expect((learners.body as { members: { name: string }[] }).members.map((m) => m.name).sort()).toEqual(['Lena Learner', 'Maria Schneider']);
    }
    const maria = (await call(`${base}?role=Learner`, token)).body as { members: Record<string, unknown>[] };
    const entry = maria.members.find((m) => m.name === 'Maria Schneider')!;
    expect(entry).toMatchObject({ status: 'Active', email: 'maria@example.edu', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], user_id: flavour === 'canvas' ? f.learner.ltiId : f.learner.id });
    if (flavour === 'canvas') expect(entry.lti11_legacy_user_id).toBe(f.learner.legacyId);
    expect((await call(base, await accessToken(f, AGS_SCOPES.score))).status).toBe(403);
  });
});

test('NRPS on Moodle: names and email only when the tool was granted those claims', async () => {
  f = await fixture('moodle', { claims: ['iss', 'sub'] });
  const token = await accessToken(f, NRPS_SCOPE);
  const body = (await call(f.sim.urls.memberships(f.course.id, f.clientId), token)).body as { members: Record<string, unknown>[] };
  expect(body.members.every((m) => m.name === undefined && m.email === undefined && typeof m.user_id === 'string')).toBe(true);
});

test('when a service body is not JSON, then the answer is a JSON invalid_request, not an HTML error page', async () => {
  f = await fixture('canvas');
  const token = await accessToken(f, ALL_AGS);
  const response = await fetch(f.sim.urls.lineItems(f.course.id, f.clientId), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': AGS_MEDIA.lineItem }, body: '{not json' });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  expect(f.sim.gradebook.lineItems(f.course.id)).toHaveLength(1);
});

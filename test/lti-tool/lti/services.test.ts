import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCOPES } from '../../../lti-tool/src/lti/claims.ts';
import { createLtiServices, type LtiServices } from '../../../lti-tool/src/lti/lti-services.ts';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import type { SessionRecord } from '../../../lti-tool/src/store/lti-launch-repository.ts';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import { openStore, type Store } from '../../../lti-tool/src/store/open-store.ts';
import { STORE_KINDS, freshStoreOptions } from '../../setup/databases.ts';

const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => resolve(body));
});

/** AGS/NRPS endpoints of a platform, two items per page, and a token endpoint that checks the RFC 7523 assertion. */
async function startServices(toolJwks: () => Promise<JSONWebKeySet>, clientId: string, now: () => Date) {
  const log: { method: string; path: string; auth?: string; type?: string; body?: string }[] = [];
  const tokens: string[][] = [];
  const lineItems = [1, 2, 3].map((n) => ({ id: '', label: `Item ${n}`, scoreMaximum: 10 * n, tag: 'microcred' }));
  const scores: unknown[] = [];
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lineItems.forEach((item, i) => (item.id = `${base}/lineitems/${i + 1}/lineitem`));
  server.on('request', async (req, res) => {
    const url = new URL(req.url!, base);
    const body = await read(req);
    log.push({ method: req.method!, path: url.pathname + url.search, auth: req.headers.authorization, type: req.headers['content-type'], body });
    const json = (status: number, value: unknown, headers: Record<string, string | undefined> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) } as Record<string, string>);
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/token') {
      const form = new URLSearchParams(body);
      try {
        const { payload } = await jwtVerify(form.get('client_assertion')!, createLocalJWKSet(await toolJwks()), { issuer: clientId, subject: clientId, audience: `${base}/token`, algorithms: ['RS256'], currentDate: now() });
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !payload.jti) throw new Error('bad form');
      } catch {
        return json(401, { error: 'invalid_client' });
      }
      tokens.push(form.get('scope')!.split(' '));
      return json(200, { access_token: `token-${tokens.length}`, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') });
    }
    if (!req.headers.authorization?.startsWith('Bearer token-')) return json(401, { error: 'no token' });
    const page = Number(url.searchParams.get('page') ?? '1');
    if (url.pathname === '/lineitems' && req.method === 'GET') {
      const next = page * 2 < lineItems.length ? { link: `<${base}/lineitems?page=${page + 1}>; rel="next"` } : {};
      return json(200, lineItems.slice((page - 1) * 2, page * 2), next);
    }
    if (url.pathname === '/lineitems' && req.method === 'POST') return json(201, { ...JSON.parse(body), id: `${base}/lineitems/9/lineitem` });
    if (url.pathname === '/lineitems/1/lineitem' && req.method === 'GET') return json(200, lineItems[0]);
    if (url.pathname === '/lineitems/1/lineitem' && req.method === 'PUT') return json(200, JSON.parse(body));
    if (url.pathname === '/lineitems/1/lineitem' && req.method === 'DELETE') return json(204, '');
    if (url.pathname === '/lineitems/1/lineitem/scores' && req.method === 'POST') {
      scores.push(JSON.parse(body));
      return json(200, {});
    }
    if (url.pathname === '/lineitems/1/lineitem/results') {
      const all = [1, 2, 3].map((n) => ({ id: `${base}/r/${n}`, userId: `u${n}`, resultScore: n, resultMaximum: 10, scoreOf: lineItems[0]!.id }));
      const next = page < 2 ? { link: `<${base}/lineitems/1/lineitem/results?page=2>; rel="next"` } : {};
      return json(200, page === 1 ? all.slice(0, 2) : all.slice(2), next);
    }
    if (url.pathname === '/memberships') {
      const all = [
        { user_id: 'u1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Ann', status: 'Active' },
        { user_id: 'u2', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], name: 'Ben', status: 'Active' },
        { user_id: 'u3', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Cleo', status: 'Active' },
      ];
      const role = url.searchParams.get('role');
      const members = role ? all.filter((m) => m.roles.some((r) => r.endsWith(`#${role}`) || r === role)) : all;
      const next = page === 1 && members.length > 1 ? { link: `<${base}/memberships?page=2${role ? `&role=${role}` : ''}>; rel="next"` } : {};
      return json(200, { id: url.toString(), context: { id: 'course-2', title: 'Data Literacy' }, members: page === 1 ? members.slice(0, 1) : members.slice(1) }, next);
    }
    json(404, {});
  });
  return { base, log, tokens, scores, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(STORE_KINDS)('AGS 2.0, NRPS 2.0 and client_credentials on %s', (kind) => {
  let store: Store;
  let lti: LtiServices;
  let services: Awaited<ReturnType<typeof startServices>>;
  let platform: PlatformRecord;
  let session: SessionRecord;
  let clock = Date.parse('2026-03-02T10:00:00Z');

  beforeAll(async () => {
    store = await openStore(await freshStoreOptions(kind));
    lti = createLtiServices({
      settings: { publicUrl: 'https://tool.example', toolName: 'microcred', skewSeconds: 60, adminToken: 'admin-token-0123456789' },
      store,
      secretBox: new SecretBox({ secret: 'test-secret-that-is-long-enough-for-hkdf-0123456789', source: 'test' }),
      now: () => new Date(clock),
    });
    services = await startServices(() => lti.toolKeys.jwks() as Promise<JSONWebKeySet>, 'client-ags', () => new Date(clock));
    platform = await store.ltiPlatforms.upsert({ issuer: services.base, clientId: 'client-ags', name: 'LMS', authUrl: `${services.base}/auth`, tokenUrl: `${services.base}/token`, jwksUrl: `${services.base}/jwks`, registeredBy: 'manual', deploymentIds: ['1'] });
    session = {
      id: 's',
      csrfToken: 'c',
      platformId: platform.id,
      deploymentId: '1',
      contextId: 'course-2',
      userId: 'u2',
      roles: [],
      messageType: 'LtiResourceLinkRequest',
      launch: {
        'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': { scope: Object.values(SCOPES), lineitems: `${services.base}/lineitems`, lineitem: `${services.base}/lineitems/1/lineitem` },
        'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { context_memberships_url: `${services.base}/memberships`, service_versions: ['2.0'] },
      },
      createdAt: new Date(clock),
      expiresAt: new Date(clock + 3_600_000),
    };
  });
  afterAll(async () => {
    await services.close();
    await store.close();
  });

  test('AGS 2.0 §3.2: line items are listed across Link rel="next" pages, created, read, updated and deleted with the line item media types', async () => {
    const { client, lineItems, lineItem } = await lti.ags(session);
    expect((await client.listLineItems(lineItems!)).map((i) => i.label)).toEqual(['Item 1', 'Item 2', 'Item 3']);
    expect((await client.createLineItem(lineItems!, { label: 'New', scoreMaximum: 5, resourceId: 'def-1', tag: 'microcred' })).id).toBe(`${services.base}/lineitems/9/lineitem`);
    expect((await client.getLineItem(lineItem!)).label).toBe('Item 1');
    expect((await client.updateLineItem(lineItem!, { label: 'Renamed', scoreMaximum: 10 })).label).toBe('Renamed');
    await client.deleteLineItem(lineItem!);
    const posted = services.log.find((r) => r.method === 'POST' && r.path === '/lineitems');
    expect(posted?.type).toBe('application/vnd.ims.lis.v2.lineitem+json');
  });

  test('AGS 2.0 §3.4/§3.3: a score is POSTed as application/vnd.ims.lis.v1.score+json to <lineitem>/scores and results are read across pages', async () => {
    const { client, lineItem } = await lti.ags(session);
    await client.postScore(lineItem!, { userId: 'u1', scoreGiven: 7, scoreMaximum: 10, timestamp: '2026-03-02T10:00:00.000Z', activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    expect(services.log.at(-1)?.type).toBe('application/vnd.ims.lis.v1.score+json');
    expect(services.scores.at(-1)).toMatchObject({ userId: 'u1', scoreGiven: 7, scoreMaximum: 10 });
    expect((await client.results(lineItem!)).map((r) => r.userId)).toEqual(['u1', 'u2', 'u3']);
  });

  test('NRPS 2.0 §3.6: memberships are read across pages, with the role filter passed to the platform', async () => {
    const all = await lti.roster(session);
    expect(all.context?.id).toBe('course-2');
    expect(all.members.map((m) => m.user_id)).toEqual(['u1', 'u2', 'u3']);
    const learners = await lti.roster(session, { role: 'Learner' });
    expect(learners.members.map((m) => m.user_id)).toEqual(['u1', 'u3']);
    expect(services.log.some((r) => r.path.startsWith('/memberships?role=Learner'))).toBe(true);
  });

  test('RFC 7523: one token per scope set is fetched with a signed assertion and reused until shortly before it expires', async () => {
    const before = services.tokens.length;
    const { client, lineItem } = await lti.ags(session);
    await client.getLineItem(lineItem!);
    await client.getLineItem(lineItem!);
    expect(services.tokens.length).toBe(before);
    clock += 3_600_000;
    await client.getLineItem(lineItem!);
    expect(services.tokens.length).toBe(before + 1);
    expect(services.tokens.at(-1)).toEqual([SCOPES.lineItemReadOnly]);
  });

  test('when the platform refuses a cached token (401), then the tool fetches a new one and retries once', async () => {
    await store.ltiTokens.put(platform.id, SCOPES.lineItemReadOnly, 'revoked', new Date(clock + 1_000_000));
    const before = services.tokens.length;
    const { client, lineItem } = await lti.ags(session);
    expect((await client.getLineItem(lineItem!)).label).toBe('Item 1');
    expect(services.tokens.length).toBe(before + 1);
  });
});

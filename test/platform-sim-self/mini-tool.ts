/**
 * A deliberately small LTI 1.3 tool used only to exercise the simulator in its own tests: login
 * redirect, id_token check against the platform JWKS, Dynamic Registration, a Deep Linking
 * response and an RFC 7523 client assertion. It is not the product's tool (lti-tool/src/lti).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface MiniTool {
  readonly baseUrl: string;
  readonly urls: { login: string; launch: string; jwks: string; register: string; deepLink: string };
  /** Launches the tool accepted, newest last. */
  readonly launches: JWTPayload[];
  /** Every id_token posted to the launch URL, accepted or not. */
  readonly idTokens: string[];
  /** Every form post to the launch URL. */
  readonly posts: Record<string, string>[];
  /** Every login initiation (query and body merged) with its method. */
  readonly logins: (Record<string, string> & { method: string })[];
  /** Changes to the authentication request the tool sends next (null removes a parameter). */
  authOverrides: Record<string, string | null>;
  /** Authorization errors the platform posted back. */
  readonly errors: Record<string, string>[];
  /** Platform settings learnt by registration or given by the test. */
  platform: { issuer: string; authorize: string; jwks: string; token: string; clientId: string } | undefined;
  signAssertion(claims: Record<string, unknown>, audience: string): Promise<string>;
  signDeepLinkResponse(settingsClaims: JWTPayload, items: unknown[], overrides?: Record<string, unknown>): Promise<string>;
  rotateKey(): Promise<void>;
  close(): Promise<void>;
}

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

export async function startMiniTool(options: { scope?: string; claims?: string[]; now?: () => number } = {}): Promise<MiniTool> {
  let key = await sharedKey();
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pending = new Map<string, string>(); // state → nonce
  const app = express();
  const tool: MiniTool = {
    baseUrl,
    urls: { login: `${baseUrl}/login`, launch: `${baseUrl}/launch`, jwks: `${baseUrl}/jwks.json`, register: `${baseUrl}/register`, deepLink: `${baseUrl}/deep-link` },
    launches: [],
    idTokens: [],
    posts: [],
    logins: [],
    authOverrides: {},
    errors: [],
    platform: undefined,
    signAssertion: (claims, audience) =>
      new SignJWT({ iat: seconds(), exp: seconds() + 300, aud: audience, ...claims }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey),
    async signDeepLinkResponse(launch, items, overrides = {}) {
      const settings = launch[`${DL}/deep_linking_settings`] as Record<string, unknown>;
      const payload: Record<string, unknown> = {
        iss: tool.platform!.clientId,
        aud: launch.iss,
        nonce: crypto.randomUUID(),
        [`${LTI}/message_type`]: 'LtiDeepLinkingResponse',
        [`${LTI}/version`]: '1.3.0',
        [`${LTI}/deployment_id`]: launch[`${LTI}/deployment_id`],
        [`${DL}/data`]: settings.data,
        [`${DL}/content_items`]: items,
        ...overrides,
      };
      return new SignJWT({ iat: seconds(), exp: seconds() + 300, ...payload }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    },
    async rotateKey() {
      key = await newKey();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  app.use(express.urlencoded({ extended: false }));
  app.get('/jwks.json', (_req, res) => {
    res.json({ keys: [{ ...key.publicJwk, kid: key.kid, alg: 'RS256', use: 'sig' }] });
  });
  app.all('/login', (req, res) => {
    const p = { ...(req.query as Record<string, string>), ...((req.body ?? {}) as Record<string, string>) };
    tool.logins.push({ ...p, method: req.method });
    const state = crypto.randomUUID();
    const nonce = crypto.randomUUID();
    pending.set(state, nonce);
    const url = new URL(tool.platform!.authorize);
    const params: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: p.client_id ?? '',
      redirect_uri: tool.urls.launch,
      login_hint: p.login_hint ?? '',
      state,
      nonce,
    };
    if (p.lti_message_hint) params.lti_message_hint = p.lti_message_hint;
    for (const [k, v] of Object.entries(tool.authOverrides)) {
      if (v === null) delete params[k];
      else params[k] = v;
    }
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    res.redirect(302, url.toString());
  });
  app.post('/launch', async (req, res) => {
    const body = req.body as Record<string, string>;
    tool.posts.push(body);
    if (body.error) {
      tool.errors.push(body);
      res.status(400).type('html').send(`<p data-error="${body.error}">${body.error_description ?? ''}</p>`);
      return;
    }
    tool.idTokens.push(body.id_token ?? '');
    try {
      const { payload } = await jwtVerify(body.id_token ?? '', createRemoteJWKSet(new URL(tool.platform!.jwks)), { issuer: tool.platform!.issuer, algorithms: ['RS256'], currentDate: new Date(now()) });
      if (pending.get(body.state ?? '') !== payload.nonce) throw new Error('state/nonce mismatch');
      pending.delete(body.state ?? '');
      tool.launches.push(payload);
      if (payload[`${LTI}/message_type`] === 'LtiDeepLinkingRequest') {
        res.type('html').send(`<form method="post" action="/deep-link"><input type="hidden" name="launch" value="${tool.launches.length - 1}"><button>Add</button></form>`);
        return;
      }
      res.type('html').send(`<p data-launch="ok">Welcome ${String(payload.name ?? payload.sub)}</p>`);
    } catch (error) {
      res.status(401).type('html').send(`<p data-error="launch">${(error as Error).message}</p>`);
    }
  });
  app.post('/deep-link', async (req, res) => {
    const launch = tool.launches[Number((req.body as Record<string, string>).launch)]!;
    const settings = launch[`${DL}/deep_linking_settings`] as Record<string, string>;
    const jwt = await tool.signDeepLinkResponse(launch, [
      { type: 'ltiResourceLink', title: 'Data Literacy badge', url: `${baseUrl}/launch`, custom: { credential: 'data-literacy' }, lineItem: { scoreMaximum: 10, label: 'Data Literacy', resourceId: 'dl-1', tag: 'badge' } },
    ]);
    res.type('html').send(`<form data-autosubmit method="post" action="${settings.deep_link_return_url!.replace(/&/g, '&amp;')}"><input type="hidden" name="JWT" value="${jwt}"></form>`);
  });
  app.get('/register', async (req, res) => {
    const q = req.query as Record<string, string>;
    const config = (await (await fetch(q.openid_configuration!)).json()) as Record<string, string>;
    const answer = await fetch(config.registration_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${q.registration_token}` },
      body: JSON.stringify({
        application_type: 'web',
        response_types: ['id_token'],
        grant_types: ['implicit', 'client_credentials'],
        initiate_login_uri: tool.urls.login,
        redirect_uris: [tool.urls.launch],
        client_name: 'Mini tool',
        jwks_uri: tool.urls.jwks,
        token_endpoint_auth_method: 'private_key_jwt',
        scope: options.scope ?? 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem https://purl.imsglobal.org/spec/lti-ags/scope/score https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
        'https://purl.imsglobal.org/spec/lti-tool-configuration': {
          domain: new URL(baseUrl).host,
          target_link_uri: tool.urls.launch,
          claims: options.claims ?? ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
          messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: tool.urls.launch }],
        },
      }),
    });
    const registered = (await answer.json()) as Record<string, string>;
    if (!answer.ok) {
      res.status(502).type('html').send(`<p data-error="registration">${registered.error_description}</p>`);
      return;
    }
    tool.platform = { issuer: config.issuer!, authorize: config.authorization_endpoint!, jwks: config.jwks_uri!, token: config.token_endpoint!, clientId: registered.client_id! };
    res.type('html').send(`<p>Registered.</p><script src="/close.js"></script>`);
  });
  app.get('/close.js', (_req, res) => {
    res.type('text/javascript').send(`(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');`);
  });
  server.on('request', app);
  return tool;
}

let firstKey: Promise<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> | undefined;

/** Mini tools in one test process share their first key (RSA generation is slow); rotateKey() makes a fresh one. */
function sharedKey() {
  firstKey ??= newKey();
  return firstKey;
}

async function newKey(): Promise<{ kid: string; privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid: crypto.randomUUID(), privateKey, publicJwk: await exportJWK(publicKey) };
}

/** Drives the tool's OIDC login and launch over HTTP like a browser (cookies by hand), for the launch tests. */
import { openDb } from '../../../lti-tool/src/store/open-store.ts';
import type { PlatformRecord } from '../../../lti-tool/src/store/lti-platform-repository.ts';
import type { ToolServer } from '../cli/tool-server.ts';
import { signIdToken, type MiniPlatform } from './mini-platform.ts';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

export interface LoginResult {
  readonly status: number;
  readonly state: string;
  readonly nonce: string;
  readonly cookie: string | undefined;
  readonly location: URL;
  readonly html: string;
}

export async function login(tool: ToolServer, platform: PlatformRecord, extra: Record<string, string> = {}): Promise<LoginResult> {
  const body = new URLSearchParams({
    iss: platform.issuer,
    login_hint: 'user-7',
    target_link_uri: `${tool.baseUrl}/lti/launch`,
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentIds[0]!,
    lti_message_hint: 'hint-1',
    ...extra,
  });
  const response = await fetch(`${tool.baseUrl}/lti/login`, { method: 'POST', body, redirect: 'manual' });
  const html = await response.text();
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lti1p3_'))?.split(';')[0];
  const redirect = response.headers.get('location') ?? /data-redirect="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? 'http://invalid/';
  const location = new URL(redirect);
  return { status: response.status, state: location.searchParams.get('state') ?? '', nonce: location.searchParams.get('nonce') ?? '', cookie, location, html };
}

export function launchClaims(tool: ToolServer, platform: PlatformRecord, nonce: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: platform.issuer,
    aud: platform.clientId,
    sub: 'user-7',
    iat: now,
    exp: now + 60,
    nonce,
    name: 'Maria Schneider',
    [`${LTI}message_type`]: 'LtiResourceLinkRequest',
    [`${LTI}version`]: '1.3.0',
    [`${LTI}deployment_id`]: platform.deploymentIds[0],
    [`${LTI}target_link_uri`]: `${tool.baseUrl}/lti/launch`,
    [`${LTI}resource_link`]: { id: 'activity-3', title: 'Quiz' },
    [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    [`${LTI}context`]: { id: 'course-2', title: 'Data Literacy', type: ['CourseSection'] },
    ...overrides,
  };
}

export async function postLaunch(tool: ToolServer, fields: Record<string, string>, cookie?: string): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await fetch(`${tool.baseUrl}/lti/launch`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

/** Login, sign a token with `claims` overrides, launch: the usual case in one call. */
export async function fullLaunch(tool: ToolServer, mini: MiniPlatform, platform: PlatformRecord, overrides: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  const started = await login(tool, platform);
  const idToken = await signIdToken(mini.keys[0]!, launchClaims(tool, platform, started.nonce, overrides), header);
  const answer = await postLaunch(tool, { id_token: idToken, state: started.state }, started.cookie);
  return { ...answer, started, idToken };
}

/** Row counts of every table a launch may write, to prove a rejection wrote nothing. */
export type TableCounts = Record<'lti_login_states' | 'lti_nonces' | 'lti_sessions' | 'lti_access_tokens' | 'lti_platforms' | 'lti_deployments', number>;

export async function launchTableCounts(tool: ToolServer): Promise<TableCounts> {
  const db = openDb({ databaseUrl: tool.env.DATABASE_URL, dataDir: tool.env.DATA_DIR! });
  try {
    const counts = {} as TableCounts;
    for (const table of ['lti_login_states', 'lti_nonces', 'lti_sessions', 'lti_access_tokens', 'lti_platforms', 'lti_deployments'] as const) {
      const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
      counts[table] = Number(row?.n);
    }
    return counts;
  } finally {
    await db.close();
  }
}

export const errorCodeOf = (html: string) => /data-error-code="([A-Z_]+)"/.exec(html)?.[1];

/** Registers the mini platform manually with the tool, as an admin would with `microcred platform add`. */
export function registerMiniPlatform(tool: ToolServer, mini: MiniPlatform, clientId: string, name: string, deploymentIds: string[]): Promise<PlatformRecord> {
  return tool.runtime.store.ltiPlatforms.upsert({
    issuer: mini.issuer,
    clientId,
    name,
    authUrl: mini.authUrl,
    tokenUrl: mini.tokenUrl,
    jwksUrl: mini.jwksUrl,
    registeredBy: 'manual',
    deploymentIds,
  });
}

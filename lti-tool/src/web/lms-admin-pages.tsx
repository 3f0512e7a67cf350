/**
 * The admin's LMS connection pages (issue 7): every platform registration with the state of its
 * LMS connection, and per platform the ways to connect (Moodle web-service token; Canvas access
 * token or developer API key with OAuth2), "Test again" and "Disconnect". Secrets are never
 * written into a page: their inputs always render empty.
 */
import type { LmsConnectionView } from '../lms/lms-connections.ts';
import type { LmsKind } from '../lms/lms-source.ts';
import { ALL_CANVAS_API_SCOPES } from '../lms/canvas-scopes.ts';
import { MOODLE_REQUIRED_FUNCTIONS } from '../lms/moodle-source.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import { ConnectionState, lmsName } from './lms-explain.tsx';
import { renderPage } from './page.tsx';

export const lmsPlatformPath = (platformId: string): string => `/admin/lms/platforms/${encodeURIComponent(platformId)}`;

export function adminLmsListPage(args: { rows: readonly { platform: PlatformRecord; connection: LmsConnectionView | undefined }[] }): string {
  return renderPage({
    title: 'microcred admin: LMS connections',
    children: (
      <section id="admin-lms">
        <p><a href="/admin">← LMS platforms</a></p>
        <h1>LMS connections</h1>
        <p>With a connection, instructors can award a micro-credential when learners complete activities, modules or grades in the LMS itself; the tool reads them through the LMS’s own API.</p>
        {args.rows.length === 0 ? (
          <p>No platform is registered yet. Register the tool in the LMS first.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Platform</th><th>Issuer</th><th>LMS connection</th><th></th></tr>
            </thead>
            <tbody>
              {args.rows.map(({ platform, connection }) => (
                <tr data-platform={platform.id}>
                  <td>{platform.name}</td>
                  <td>{platform.issuer}</td>
                  <td><ConnectionState connection={connection} /></td>
                  <td><a href={lmsPlatformPath(platform.id)}>{connection ? 'Manage' : 'Connect'}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    ),
  });
}

/** What the admin typed, kept when a check fails (never the token or secret). */
export interface TypedConnection {
  readonly form: 'moodle-token' | 'canvas-token' | 'canvas-oauth';
  readonly baseUrl: string;
  readonly clientId?: string;
}

/** The outcome of the last action, shown above the forms: what worked, or exactly what failed. */
export interface ConnectionNotice {
  readonly ok: boolean;
  readonly message: string;
  readonly missing?: readonly string[];
}

export interface LmsPlatformPageProps {
  readonly platform: PlatformRecord;
  readonly connection: LmsConnectionView | undefined;
  readonly csrf: string;
  /** Where Canvas sends the admin back after authorising (the developer key's redirect URI). */
  readonly callbackUrl: string;
  readonly typed?: TypedConnection;
  readonly notice?: ConnectionNotice;
}

export function adminLmsPlatformPage({ platform, connection, csrf, callbackUrl, typed, notice }: LmsPlatformPageProps): string {
  const action = (what: string) => `${lmsPlatformPath(platform.id)}/${what}`;
  const Csrf = () => <input type="hidden" name="csrf" value={csrf} />;
  // Prefill: what was just typed, else the connected URL, else for Moodle the platform issuer (its wwwroot;
  // Canvas's issuer is canvas.instructure.com for every cloud instance, so it says nothing about the URL).
  const urlFor = (form: TypedConnection['form'], kind: LmsKind) => (typed?.form === form ? typed.baseUrl : connection?.kind === kind ? connection.baseUrl : kind === 'moodle' ? platform.issuer : '');
  return renderPage({
    title: `microcred admin: LMS connection of ${platform.name}`,
    children: (
      <section id="admin-lms-platform">
        <p><a href="/admin/lms">← LMS connections</a></p>
        <h1>LMS connection of {platform.name}</h1>
        <p class="muted">Issuer {platform.issuer}, client id {platform.clientId}</p>
        {notice ? (
          <div class={notice.ok ? 'card' : 'card error'} role={notice.ok ? 'status' : 'alert'} data-notice={notice.ok ? 'ok' : 'failed'}>
            <p>{notice.message}</p>
            {notice.missing && notice.missing.length > 0 ? (
              <>
                <p>The token cannot call these functions; allow them in the LMS’s web service and test again:</p>
                <ul>{notice.missing.map((name) => <li><code>{name}</code></li>)}</ul>
              </>
            ) : null}
          </div>
        ) : null}
        <h2>State</h2>
        <p><ConnectionState connection={connection} /></p>
        {connection ? (
          <div class="actions">
            <form method="post" action={action('recheck')}><Csrf /><button type="submit">Test again</button></form>
            <form method="post" action={action('remove')}><Csrf /><button type="submit">Disconnect</button></form>
          </div>
        ) : null}
        <h2>Moodle: connect with a web-service token</h2>
        <p class="muted">Site administration → Server → Web services: an external service with these functions, a user with the capabilities the README lists, and a token for that user in that service.</p>
        <ul class="muted" id="moodle-functions">{MOODLE_REQUIRED_FUNCTIONS.map((name) => <li><code>{name}</code></li>)}</ul>
        <form method="post" action={action('token')}>
          <Csrf />
          <input type="hidden" name="kind" value="moodle" />
          <label>Moodle site URL <input name="base_url" required value={urlFor('moodle-token', 'moodle')} placeholder="https://moodle.example.edu" /></label>
          <label>Web-service token <input name="token" type="password" required autoComplete="off" /></label>
          <button type="submit">Save and test</button>
        </form>
        <h2>Canvas: connect with an access token</h2>
        <form method="post" action={action('token')}>
          <Csrf />
          <input type="hidden" name="kind" value="canvas" />
          <label>Canvas URL <input name="base_url" required value={urlFor('canvas-token', 'canvas')} placeholder="https://canvas.example.edu" /></label>
          <label>Access token <input name="token" type="password" required autoComplete="off" /></label>
          <button type="submit">Save and test</button>
        </form>
        <h2>Canvas: connect with a developer API key (OAuth2)</h2>
        <p class="muted">Admin → Developer Keys → + API Key, with this redirect URI: <code>{callbackUrl}</code>. If the key has “Enforce Scopes” on, allow these. You are sent to Canvas to authorise the tool and come back here.</p>
        <ul class="muted" id="canvas-scopes">{ALL_CANVAS_API_SCOPES.map((scope) => <li><code>{scope}</code></li>)}</ul>
        <form method="post" action={action('canvas-oauth')}>
          <Csrf />
          <label>Canvas URL <input name="base_url" required value={urlFor('canvas-oauth', 'canvas')} placeholder="https://canvas.example.edu" /></label>
          <label>Client id <input name="client_id" required value={typed?.form === 'canvas-oauth' ? (typed.clientId ?? '') : ''} /></label>
          <label>Client secret <input name="client_secret" type="password" required autoComplete="off" /></label>
          <button type="submit">Authorise in Canvas</button>
        </form>
      </section>
    ),
  });
}

/**
 * Sends the admin to Canvas. A redirect answering the form would be refused by browsers that
 * apply the page's CSP form-action ('self') to redirects, so this page navigates instead
 * (meta refresh, with the link for when it is blocked).
 */
export function adminLmsAuthorizePage(args: { authorizeUrl: string }): string {
  return renderPage({
    title: 'microcred admin: authorise in Canvas',
    head: <meta httpEquiv="refresh" content={`0;url=${args.authorizeUrl}`} />,
    children: (
      <section id="admin-lms-authorize">
        <h1>Authorise microcred in Canvas</h1>
        <p><a id="authorize" href={args.authorizeUrl}>Continue to Canvas</a> to let the tool read course progress. Canvas sends you back here afterwards.</p>
      </section>
    ),
  });
}

/** Where Canvas sends the admin back: connected (with the check), or what went wrong. */
export function adminLmsOAuthResultPage(args: { ok: boolean; message: string; missing?: readonly string[]; platformId?: string }): string {
  return renderPage({
    title: 'microcred admin: Canvas authorisation',
    children: (
      <section id="admin-lms-oauth">
        <h1>{args.ok ? `${lmsName('canvas')} is connected` : 'Canvas was not connected'}</h1>
        <p class={args.ok ? 'ok' : 'bad'} role={args.ok ? 'status' : 'alert'} data-notice={args.ok ? 'ok' : 'failed'}>{args.message}</p>
        {args.missing && args.missing.length > 0 ? <ul>{args.missing.map((name) => <li><code>{name}</code></li>)}</ul> : null}
        <p><a href={args.platformId ? lmsPlatformPath(args.platformId) : '/admin/lms'}>Back to the LMS connection</a></p>
      </section>
    ),
  });
}

/** The platform registrations admin page: sign-in with the admin token, the list, and the manual registration form. */
import type { IssuerKeyInfo } from '../keys/issuer-keys.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import type { ToolUrls } from '../lti/tool-configuration.ts';
import { renderPage } from './page.tsx';
import { lmsPlatformPath } from './lms-admin-pages.tsx';

export function adminLoginPage(args: { failed?: boolean }): string {
  return renderPage({
    title: 'microcred admin',
    children: (
      <section id="admin-login">
        <h1>microcred admin</h1>
        {args.failed && <p class="problems">That admin token is not right.</p>}
        <p>Enter the admin token (the MICROCRED_ADMIN_TOKEN environment variable, or the token printed when the tool started).</p>
        <form method="post" action="/admin/login">
          <label>
            Admin token <input name="token" type="password" required autoComplete="off" />
          </label>
          <button type="submit">Sign in</button>
        </form>
      </section>
    ),
  });
}

export function adminPlatformsPage(args: { platforms: readonly PlatformRecord[]; keys: readonly IssuerKeyInfo[]; csrf: string; urls: ToolUrls; problems?: readonly string[] }): string {
  const { urls } = args;
  return renderPage({
    title: 'microcred admin: LMS platforms',
    children: (
      <section id="admin-platforms">
        <h1>LMS platforms</h1>
        <h2>Tool URLs for the LMS</h2>
        <dl>
          <dt>Dynamic registration URL</dt>
          <dd>
            <code>{urls.register}</code>
          </dd>
          <dt>Login (OIDC initiation) URL</dt>
          <dd>
            <code>{urls.login}</code>
          </dd>
          <dt>Launch / redirect URL</dt>
          <dd>
            <code>{urls.launch}</code>
          </dd>
          <dt>Public keyset (JWKS) URL</dt>
          <dd>
            <code>{urls.jwks}</code>
          </dd>
          <dt>Canvas configuration URL</dt>
          <dd>
            <code>{urls.canvasConfig}</code>
          </dd>
        </dl>
        <h2>Registered platforms</h2>
        <p>
          <a href="/admin/lms">LMS connections</a>: let the tool read completion and grades from Moodle’s or Canvas’s own API, so micro-credentials are awarded without any learner action.
        </p>
        {args.platforms.length === 0 ? (
          <p>No platform is registered yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Issuer</th>
                <th>Client id</th>
                <th>Deployments</th>
                <th>Registered</th>
                <th>LMS API</th>
              </tr>
            </thead>
            <tbody>
              {args.platforms.map((p) => (
                <tr>
                  <td>{p.name}</td>
                  <td>{p.issuer}</td>
                  <td>{p.clientId}</td>
                  <td>{p.deploymentIds.join(', ') || 'none yet'}</td>
                  <td>{p.registeredBy}</td>
                  <td><a href={lmsPlatformPath(p.id)}>LMS connection</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>Register a platform by hand</h2>
        {args.problems && args.problems.length > 0 && (
          <ul class="problems">
            {args.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        )}
        <form method="post" action="/admin/platforms">
          <input type="hidden" name="csrf" value={args.csrf} />
          <label>
            Name <input name="name" maxLength={200} />
          </label>
          <label>
            Issuer <input name="issuer" required placeholder="https://moodle.example.edu" />
          </label>
          <label>
            Client id <input name="client_id" required />
          </label>
          <label>
            Deployment ids (one per line) <textarea name="deployment_ids" rows={2} required></textarea>
          </label>
          <label>
            Authentication (OIDC) URL <input name="auth_url" required placeholder="https://moodle.example.edu/mod/lti/auth.php" />
          </label>
          <label>
            Token URL <input name="token_url" required placeholder="https://moodle.example.edu/mod/lti/token.php" />
          </label>
          <label>
            JWKS URL <input name="jwks_url" required placeholder="https://moodle.example.edu/mod/lti/certs.php" />
          </label>
          <button type="submit">Register</button>
        </form>
        <h2>The tool's LTI signing keys</h2>
        <ul id="lti-keys">
          {args.keys.map((k) => (
            <li>
              {k.status} {k.alg} <code>{k.kid.slice(k.kid.lastIndexOf('#') + 1)}</code> created {k.createdAt.toISOString()}
            </li>
          ))}
        </ul>
        <form method="post" action="/admin/lti-keys/rotate">
          <input type="hidden" name="csrf" value={args.csrf} />
          <button type="submit">Rotate the LTI key (the previous key stays published)</button>
        </form>
      </section>
    ),
  });
}

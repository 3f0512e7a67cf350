/**
 * Pages of the LTI flows (they run inside the LMS iframe): errors that say what failed and what to
 * tell the admin, the platform-storage steps, the launch and deep-linking pages, the auto-posting
 * deep-linking response and the end of Dynamic Registration. No inline script: behaviour comes from
 * the served /assets/lti-*.js files, reading data-* attributes.
 */
import type { ComponentChildren } from 'preact';
import { renderPage } from './page.tsx';
import { InstructorProgress, type ProgressPageProps } from './instructor-progress.tsx';
import { LearnerCredentials, type LearnerPageProps } from './learner-credentials.tsx';
import type { LtiError } from '../lti/errors.ts';

export const LTI_SCRIPTS = { storage: '/assets/lti-storage.js', autosubmit: '/assets/lti-autosubmit.js', close: '/assets/lti-close.js' } as const;

export function ltiErrorPage(error: LtiError): string {
  return renderPage({
    title: 'The tool could not start',
    children: (
      <section class="lti-error" data-error-code={error.code}>
        <h1>The tool could not start</h1>
        <p>
          <strong>What failed:</strong> {error.message}
        </p>
        {error.adminHint && (
          <p>
            <strong>What to tell the admin:</strong> {error.adminHint}
          </p>
        )}
        <details>
          <summary>Technical detail</summary>
          <p>
            Error code <code>{error.code}</code>. Nothing was saved.
          </p>
        </details>
      </section>
    ),
  });
}

/** Client Side postMessage storage, put_data: store state and nonce in the platform, then go to its login. */
export function storeStatePage(args: { target: string; origin: string; state: string; nonce: string; redirectUrl: string }): string {
  return renderPage({
    title: 'Starting the tool…',
    scripts: [LTI_SCRIPTS.storage],
    children: (
      <section id="lti-storage" data-mode="put" data-target={args.target} data-origin={args.origin} data-state={args.state} data-nonce={args.nonce} data-redirect={args.redirectUrl}>
        <p>Starting the tool…</p>
        <noscript>
          <p>
            This tool needs JavaScript when your browser blocks cookies. <a href={args.redirectUrl}>Continue without it</a>.
          </p>
        </noscript>
      </section>
    ),
  });
}

/** Client Side postMessage storage, get_data: read state and nonce back, then re-post the launch with them. */
export function checkStatePage(args: { target: string; origin: string; state: string; idToken: string; action: string }): string {
  return renderPage({
    title: 'Starting the tool…',
    scripts: [LTI_SCRIPTS.storage],
    children: (
      <section id="lti-storage" data-mode="get" data-target={args.target} data-origin={args.origin} data-state={args.state}>
        <p>Checking the launch with your LMS…</p>
        <form id="lti-storage-form" method="post" action={args.action}>
          <input type="hidden" name="id_token" value={args.idToken} />
          <input type="hidden" name="state" value={args.state} />
          <input type="hidden" name="storage_state" value="" />
          <input type="hidden" name="storage_nonce" value="" />
        </form>
      </section>
    ),
  });
}

export interface LaunchView {
  readonly sessionId: string;
  readonly userName: string;
  readonly courseTitle: string;
  readonly roles: readonly string[];
  readonly platformName: string;
}

export function launchPage(view: LaunchView, content?: ComponentChildren): string {
  return renderPage({
    title: 'microcred',
    children: (
      <section id="lti-launch" data-session={view.sessionId}>
        {content ?? <h1>microcred</h1>}
        <p>
          Signed in as <strong>{view.userName}</strong> in <strong>{view.courseTitle}</strong> ({view.platformName}).
        </p>
        <p>Your roles: {view.roles.map(shortRole).join(', ') || 'none'}.</p>
        <p>
          <a href={`/lti/home?session=${encodeURIComponent(view.sessionId)}`}>Reload this page</a>
        </p>
      </section>
    ),
  });
}

export function deepLinkPage(args: { sessionId: string; csrfToken: string; courseTitle: string; problems?: readonly string[] }): string {
  return renderPage({
    title: 'Add a micro-credential activity',
    children: (
      <section id="lti-deep-link">
        <h1>Add a micro-credential activity to {args.courseTitle}</h1>
        <p>
          <a href={`/lti/deep-link/definition?session=${encodeURIComponent(args.sessionId)}`}>Define a micro-credential for this activity</a> (every EU element, the pass rule, and a graded activity that awards it automatically) — or place a plain activity link below.
        </p>
        {args.problems && args.problems.length > 0 && (
          <ul class="problems">
            {args.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        )}
        <form method="post" action="/lti/deep-link">
          <input type="hidden" name="session" value={args.sessionId} />
          <input type="hidden" name="csrf" value={args.csrfToken} />
          <label>
            Title <input name="title" required maxLength={200} value="Micro-credential assessment" />
          </label>
          <label>
            Maximum score <input name="score_maximum" type="number" min="0" step="any" value="100" />
          </label>
          <label>
            Grade column label <input name="label" maxLength={200} value="Micro-credential" />
          </label>
          <label>
            Resource id <input name="resource_id" maxLength={200} value="" />
          </label>
          <label>
            Tag <input name="tag" maxLength={200} value="microcred" />
          </label>
          <label>
            Custom parameters (one name=value per line) <textarea name="custom" rows={3} maxLength={4000}></textarea>
          </label>
          <button type="submit">Add to the course</button>
        </form>
      </section>
    ),
  });
}

/** Deep Linking 2.0 §4.5: the browser posts the signed response as form field JWT to deep_link_return_url. */
export function autoPostPage(args: { action: string; jwt: string }): string {
  return renderPage({
    title: 'Returning to your course…',
    scripts: [LTI_SCRIPTS.autosubmit],
    children: (
      <form method="post" action={args.action} data-autosubmit="">
        <input type="hidden" name="JWT" value={args.jwt} />
        <p>Returning to your course…</p>
        <noscript>
          <button type="submit">Continue</button>
        </noscript>
      </form>
    ),
  });
}

export function registrationDonePage(args: { platformName: string; clientId: string; deploymentId: string | undefined; productFamily: string | undefined }): string {
  const moodle = args.productFamily === 'moodle';
  return renderPage({
    title: 'microcred is registered',
    scripts: [LTI_SCRIPTS.close],
    children: (
      <section id="lti-registered" data-client-id={args.clientId}>
        <h1>microcred is registered with {args.platformName}</h1>
        <p>
          Client id <code>{args.clientId}</code>
          {args.deploymentId && (
            <>
              , deployment id <code>{args.deploymentId}</code>
            </>
          )}
          .
        </p>
        <p class="next-step">
          {moodle
            ? 'Next step: the tool starts as “Pending” in Moodle. An administrator must activate it under Site administration → Plugins → Activity modules → External tool → Manage tools before teachers can add it.'
            : 'Next step: the tool may need to be enabled or approved by an administrator of the LMS (for Canvas: turn the developer key on and install the app) before teachers can add it.'}
        </p>
        <button type="button" id="lti-close">Close</button>
      </section>
    ),
  });
}

function shortRole(role: string): string {
  return role.slice(Math.max(role.lastIndexOf('#'), role.lastIndexOf('/')) + 1);
}

/** The landing page of a course launch: the instructor's progress per micro-credential, or the learner's "My credentials". */
export function courseHomePage(view: LaunchView, content: { kind: 'instructor'; sessionId: string; definitions: readonly ProgressPageProps[]; newDefinitionUrl: string; problems: readonly string[] } | { kind: 'learner'; page: LearnerPageProps; problems: readonly string[] }): string {
  const problems = content.problems.length > 0 ? <div class="card error" role="alert"><ul>{content.problems.map((p) => <li>{p}</li>)}</ul></div> : null;
  if (content.kind === 'learner') return launchPage(view, <>{problems}<LearnerCredentials {...content.page} /></>);
  return launchPage(
    view,
    <>
      <h1>Micro-credentials in {view.courseTitle}</h1>
      {problems}
      <p><a href={content.newDefinitionUrl}>Define a new micro-credential</a> (or add one as an activity through the course’s “add activity” screen)</p>
      {content.definitions.length === 0 ? <p class="muted">No micro-credential is defined in this course yet.</p> : null}
      {content.definitions.map((props) => (
        <section class="card" data-definition={props.view.definition.id}>
          <InstructorProgress {...props} />
          <p><a href={`/lti/definitions/${encodeURIComponent(props.view.definition.id)}/edit?session=${encodeURIComponent(content.sessionId)}`}>Edit this micro-credential</a></p>
        </section>
      ))}
    </>,
  );
}

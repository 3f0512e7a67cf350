/** "My credentials" (reached through a Learner launch): earned credentials with their sharing links, and what the learner is working towards. */
import type { LearnerCredentialsView } from '../issuance/learner-view.ts';
import { renderPage } from './page.tsx';

export interface LearnerPageProps {
  readonly view: LearnerCredentialsView;
  /** Where the hide/show form posts (mounted behind the LTI session by the LTI layer). */
  readonly hideAction: string;
  /** Anti-forgery token of the session, sent back with every form. */
  readonly csrfToken?: string;
  /** The LTI session, sent back with every form. */
  readonly sessionId?: string;
}

export function LearnerCredentials({ view, hideAction, csrfToken, sessionId }: LearnerPageProps) {
  return (
    <>
      <h1>My credentials</h1>
      <section>
        <h2>Earned</h2>
        {view.earned.length === 0 ? <p class="muted">Nothing yet: credentials appear here as soon as your work meets the rule, without you doing anything.</p> : null}
        {view.earned.map((c) => (
          <article class="card" data-credential={c.id}>
            <h3>{c.title}</h3>
            <p class="muted">Issued {c.issuedAt.toISOString().slice(0, 10)}</p>
            {c.revoked ? <p class="bad">Revoked by the issuer{c.revocationReason ? `: ${c.revocationReason}` : ''}.</p> : null}
            {c.hidden ? <p class="warn">Its public page is hidden: anyone opening the link is told you withdrew it.</p> : null}
            <ul class="actions">
              <li><a href={c.url} target="_blank" rel="noopener">Public page</a></li>
              <li><a href={`${c.url}/certificate`} target="_blank" rel="noopener">Printable certificate</a></li>
              <li><a href={c.linkedInUrl} target="_blank" rel="noopener noreferrer">Add to LinkedIn profile</a></li>
              <li><a href={`${c.url}/credential.jwt`} download>VC-JWT</a></li>
              <li><a href={`${c.url}/credential.json`} download>JSON</a></li>
              <li><a href={`${c.url}/badge.svg`} download>Badge (SVG, credential baked in)</a></li>
            </ul>
            <label>Link to copy <input type="url" readonly value={c.url} /></label>
            <form method="post" action={hideAction}>
              <input type="hidden" name="credentialId" value={c.id} />
              <input type="hidden" name="hidden" value={c.hidden ? 'false' : 'true'} />
              {sessionId ? <input type="hidden" name="session" value={sessionId} /> : null}
              {csrfToken ? <input type="hidden" name="csrf" value={csrfToken} /> : null}
              <button type="submit">{c.hidden ? 'Show the public page again' : 'Hide the public page'}</button>
            </form>
          </article>
        ))}
      </section>
      <section>
        <h2>Working towards</h2>
        {view.inProgress.length === 0 ? <p class="muted">No other micro-credentials in this course.</p> : null}
        <ul>
          {view.inProgress.map((p) => (
            <li data-definition={p.definitionId}>
              <strong>{p.title}</strong> — {p.rule}
              {p.score ? <span class="muted"> (your current score: {p.score.score}{p.score.maximum !== undefined ? ` / ${p.score.maximum}` : ''})</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function renderLearnerPage(props: LearnerPageProps): string {
  return renderPage({ title: 'My credentials', children: <LearnerCredentials {...props} /> });
}

/** An instructor's progress table for one micro-credential: learners, scores, state, revoke with a reason, re-issue, CSV export, bulk progress, LMS watch status. */
import type { ProgressView } from '../issuance/instructor-view.ts';
import { LmsWatchStatus } from './lms-watch-status.tsx';
import { renderPage } from './page.tsx';

export interface ProgressPageProps {
  readonly view: ProgressView;
  readonly actions: { readonly revoke: string; readonly reissue: string; readonly csv: string };
  readonly csrfToken?: string;
  /** The LTI session, sent back with every form (the LMS iframe may block cookies). */
  readonly sessionId?: string;
}

const STATE_LABELS = { 'not-yet': 'Not yet', issued: 'Issued', revoked: 'Revoked' } as const;

export function InstructorProgress({ view, actions, csrfToken, sessionId }: ProgressPageProps) {
  const def = view.definition.definition as { title?: Record<string, string>; defaultLanguage?: string };
  const title = def.title?.[def.defaultLanguage ?? 'en'] ?? Object.values(def.title ?? {})[0] ?? 'Micro-credential';
  const csrf = (
    <>
      {sessionId ? <input type="hidden" name="session" value={sessionId} /> : null}
      {csrfToken ? <input type="hidden" name="csrf" value={csrfToken} /> : null}
    </>
  );
  const job = view.job;
  return (
    <>
      <h1>{title}</h1>
      {!view.definition.published ? <p class="warn">Draft: nothing is awarded until it is published.</p> : null}
      {job && (job.state === 'running' || job.state === 'pending') ? (
        <p>
          Issuing: <progress max={job.total ?? undefined} value={job.done}>{job.done}</progress> {job.done}
          {job.total !== null ? ` of ${job.total}` : ''}
        </p>
      ) : null}
      {view.lmsWatch ? <LmsWatchStatus watch={view.lmsWatch} /> : null}
      {job?.lastError ? <p class="card error" role="alert">The last sync with the platform failed and will be retried: {job.lastError}</p> : null}
      <p><a href={actions.csv}>Export as CSV</a></p>
      <table>
        <thead>
          <tr><th>Learner</th><th>Score</th><th>State</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr data-state={r.state}>
              <td>{r.name}</td>
              <td>{r.score !== undefined ? `${r.score}${r.maximum !== undefined ? ` / ${r.maximum}` : ''}` : '–'}</td>
              <td>
                {STATE_LABELS[r.state]}
                {r.issuedAt ? <span class="muted"> {r.issuedAt.toISOString().slice(0, 10)}</span> : null}
                {r.revocationReason ? <span class="muted"> ({r.revocationReason})</span> : null}
              </td>
              <td>
                {r.credentialUrl ? <a href={r.credentialUrl} target="_blank" rel="noopener">View</a> : null}
                {r.state === 'issued' && r.credentialId ? (
                  <form method="post" action={actions.revoke}>
                    <input type="hidden" name="credentialId" value={r.credentialId} />
                    {csrf}
                    <label>Reason <input name="reason" required maxLength={500} /></label>
                    <button type="submit">Revoke</button>
                  </form>
                ) : null}
                {r.credentialId ? (
                  <form method="post" action={actions.reissue}>
                    <input type="hidden" name="credentialId" value={r.credentialId} />
                    {csrf}
                    <button type="submit">Re-issue</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function renderInstructorProgressPage(props: ProgressPageProps): string {
  return renderPage({ title: 'Micro-credential progress', children: <InstructorProgress {...props} /> });
}

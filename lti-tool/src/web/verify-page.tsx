/** The /verify page: anyone pastes a credential or uploads a file (VC-JWT, JSON, or a baked PNG/SVG badge) and gets the report. */
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { renderPage } from './page.tsx';
import { VerificationReportView } from './verify-report.tsx';

export interface VerifyPageProps {
  /** What was pasted, shown again so nothing is lost. */
  readonly input?: string;
  readonly report?: VerificationReport;
  /** A problem with the input itself (empty, too large, unreadable). */
  readonly error?: string;
}

export function renderVerifyPage(props: VerifyPageProps = {}): string {
  const title = typeof props.report?.credential?.name === 'string' ? props.report.credential.name : undefined;
  return renderPage({
    title: 'Verify a credential',
    children: (
      <>
        <h1>Verify a credential</h1>
        {props.error ? <p class="card error" role="alert">{props.error}</p> : null}
        {props.report ? (
          <>
            {title ? <h2>{title}</h2> : null}
            <VerificationReportView report={props.report} />
          </>
        ) : null}
        <form class="card" method="post" action="/verify" enctype="multipart/form-data">
          <label for="credential">Paste a credential (VC-JWT or JSON)</label>
          <textarea id="credential" name="credential" rows={8} value={props.input ?? ''} />
          <label for="file">…or choose a file: a .jwt or .json credential, or a badge image (PNG or SVG) with a credential baked in</label>
          <input id="file" name="file" type="file" accept=".jwt,.json,.txt,.png,.svg,application/json,image/png,image/svg+xml" />
          <p><button type="submit">Verify</button></p>
          <p class="muted">Nothing you submit here is stored.</p>
        </form>
      </>
    ),
  });
}

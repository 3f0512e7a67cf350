/** A verification report (shared/verify) for people: the verdict sentence, then each check with its detail one click away. */
import type { VerificationReport } from '../../../shared/verify/types.ts';

const MARKS = { passed: '✓', failed: '✗', warning: '!', skipped: '–' } as const;
const CLASSES = { passed: 'ok', failed: 'bad', warning: 'warn', skipped: 'muted' } as const;

export function VerdictBanner({ report }: { report: VerificationReport }) {
  return (
    <p class={`verdict ${report.verified ? 'ok' : report.verdict === 'unverifiable' ? 'warn' : 'bad'}`} data-verdict={report.verdict}>
      <strong>{report.verified ? 'Verified' : labelOf(report.verdict)}:</strong> {report.summary}
    </p>
  );
}

export function VerificationReportView({ report }: { report: VerificationReport }) {
  return (
    <section class="card" aria-label="Verification">
      <VerdictBanner report={report} />
      <ul class="checks">
        {report.checks.map((check) => (
          <li class={CLASSES[check.status]} data-check={check.id}>
            <span aria-hidden="true">{MARKS[check.status]}</span> <strong>{check.name}:</strong> {check.message}
            {check.detail ? (
              <details>
                <summary>Technical detail</summary>
                <code>
                  {check.code} — {check.detail}
                </code>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function labelOf(verdict: VerificationReport['verdict']): string {
  return { verified: 'Verified', revoked: 'Revoked', suspended: 'Suspended', expired: 'Expired', invalid: 'Not valid', unverifiable: 'Could not be checked', incomplete: 'Incomplete', untrusted: 'Issuer not trusted' }[verdict];
}

/** Only web links become hrefs: a definition or a pasted credential may carry javascript: or data: URLs. */
export function safeHref(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/**
 * What the page badge, the card and the popup show, cut from a verification report. Credential
 * content is issuer-controlled text: it is shortened here and later rendered as text only.
 */
import { readEuElements } from '../../../shared/credential/read-eu-elements.ts';
import type { EuElements } from '../../../shared/credential/types.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import type { CredentialView } from '../protocol.ts';

const MAX_TEXT = 300;
const MAX_OUTCOMES = 12;

export function credentialView(report: VerificationReport, reportKey: string): CredentialView {
  let eu: EuElements | undefined = report.eu;
  if (!eu && report.credential) {
    try {
      eu = readEuElements(report.credential);
    } catch {
      eu = undefined;
    }
  }
  const cut = (value: string | undefined) => (value === undefined ? undefined : value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value);
  const trust = report.checks.find((c) => c.id === 'issuer-trust');
  const view: CredentialView = {
    verdict: report.verdict,
    summary: report.summary,
    reportKey,
    title: cut(eu?.title ?? (typeof report.credential?.name === 'string' ? report.credential.name : undefined)),
    issuerName: cut(report.issuer?.name ?? eu?.awardingBody?.name),
    issuerId: cut(report.issuer?.id),
    trusted: trust?.status === 'passed' ? true : undefined,
    failedCode: report.checks.find((c) => c.status === 'failed')?.code,
    issued: cut(eu?.dateOfIssuing),
    learnerName: cut(eu?.learner?.name),
    outcomes: eu?.learningOutcomes?.slice(0, MAX_OUTCOMES).map((o) => cut(o.text) as string),
    ects: eu?.workload?.ects,
    eqf: eu?.level?.eqf,
    assessment: cut(eu?.assessmentType),
    participation: cut(eu?.participationForm),
    qualityAssurance: cut(eu?.qualityAssurance),
    checks: report.checks.map((c) => ({ name: c.name, status: c.status, message: cut(c.message) as string })),
  };
  return JSON.parse(JSON.stringify(view)) as CredentialView;
}

/** A view for a credential that could not even be read (nothing fetched, nothing parsed). */
export function unreadableView(code: string, message: string, reportKey: string, verdict: 'unverifiable' | 'invalid' | 'revoked' = 'unverifiable'): CredentialView {
  return { verdict, summary: message, reportKey, failedCode: code, checks: [{ name: verdict === 'revoked' ? 'Revocation status' : 'Credential found', status: 'failed', message: `${message} (${code})` }] };
}

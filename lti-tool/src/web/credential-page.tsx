/**
 * The public credential page (no login): the EU elements for a person, a live verification verdict,
 * downloads and sharing; for machines, <link rel="alternate"> to the VC-JWT and the JSON.
 */
import type { EuElements } from '../../../shared/credential/types.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { EuElementsList } from './credential-eu-elements.tsx';
import { renderPage } from './page.tsx';
import { VerificationReportView } from './verify-report.tsx';

export interface CredentialPageProps {
  readonly id: string;
  /** The credential's public URL (its `id`). */
  readonly url: string;
  readonly eu: EuElements;
  readonly description?: string | undefined;
  readonly report: VerificationReport;
  readonly linkedInUrl: string;
  readonly hasPngBadge: boolean;
}

export const credentialPaths = (id: string) => ({
  page: `/credentials/${id}`,
  jwt: `/credentials/${id}/credential.jwt`,
  json: `/credentials/${id}/credential.json`,
  svg: `/credentials/${id}/badge.svg`,
  png: `/credentials/${id}/badge.png`,
  certificate: `/credentials/${id}/certificate`,
});

export function renderCredentialPage(props: CredentialPageProps): string {
  const paths = credentialPaths(props.id);
  const title = props.eu.title ?? 'Micro-credential';
  return renderPage({
    title: `${title} — ${props.eu.learner?.name ?? 'credential'}`,
    head: (
      <>
        <link rel="alternate" type="application/vc+jwt" href={paths.jwt} />
        <link rel="alternate" type="application/vc+ld+json" href={paths.json} />
        <link rel="canonical" href={props.url} />
      </>
    ),
    children: (
      <article class="credential">
        <header class="credential-head">
          <img class="badge" src={paths.svg} alt="" width={120} height={120} />
          <div>
            <p class="muted">Micro-credential awarded to</p>
            <h1>{props.eu.learner?.name ?? 'Unknown learner'}</h1>
            <p class="credential-title">{title}</p>
            {props.eu.awardingBody ? <p class="muted">Issued by {props.eu.awardingBody.name ?? props.eu.awardingBody.id}</p> : null}
          </div>
        </header>
        <VerificationReportView report={props.report} />
        {props.description ? <p>{props.description}</p> : null}
        <section class="card">
          <h2>What this credential certifies</h2>
          <EuElementsList eu={props.eu} />
        </section>
        <section class="card">
          <h2>Share and download</h2>
          <label for="credential-link">Link to this page</label>
          <input id="credential-link" type="url" readonly value={props.url} />
          <ul class="actions">
            <li><a href={props.linkedInUrl} rel="noopener noreferrer">Add to LinkedIn profile</a></li>
            <li><a href={paths.certificate}>Printable certificate</a></li>
            <li><a href={paths.jwt} download={`${props.id}.jwt`}>Download as VC-JWT</a></li>
            <li><a href={paths.json} download={`${props.id}.json`}>Download as JSON</a></li>
            <li><a href={paths.svg} download={`${props.id}.svg`}>Badge image with the credential baked in (SVG)</a></li>
            {props.hasPngBadge ? <li><a href={paths.png} download={`${props.id}.png`}>Badge image with the credential baked in (PNG)</a></li> : null}
          </ul>
          <p class="muted">The JSON download is the credential without a proof; the VC-JWT and the baked images carry the issuer's signature.</p>
        </section>
      </article>
    ),
  });
}

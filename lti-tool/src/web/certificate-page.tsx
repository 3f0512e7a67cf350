/** A printable certificate: the EU elements on one page and a QR code leading to the public credential page, where it verifies live. */
import type { EuElements } from '../../../shared/credential/types.ts';
import { EuElementsList } from './credential-eu-elements.tsx';
import { renderPage } from './page.tsx';

export interface CertificatePageProps {
  readonly id: string;
  readonly url: string;
  readonly eu: EuElements;
  /** The QR code as SVG markup from the qrcode package (it encodes the URL as modules; no text from the credential). */
  readonly qrSvg: string;
  readonly revoked: boolean;
}

export function renderCertificatePage(props: CertificatePageProps): string {
  return renderPage({
    title: `Certificate — ${props.eu.title ?? 'Micro-credential'}`,
    children: (
      <article class="certificate">
        {props.revoked ? <p class="verdict bad"><strong>Revoked:</strong> the issuer has revoked this credential; this certificate is no longer valid.</p> : null}
        <p class="muted">Micro-credential</p>
        <h1>{props.eu.title ?? 'Micro-credential'}</h1>
        <p>
          awarded to <strong>{props.eu.learner?.name ?? 'Unknown learner'}</strong>
          {props.eu.dateOfIssuing ? <> on {props.eu.dateOfIssuing.slice(0, 10)}</> : null}
          {props.eu.awardingBody?.name ? <> by {props.eu.awardingBody.name}</> : null}
        </p>
        <EuElementsList eu={props.eu} />
        <figure class="qr">
          <div class="qr-code" dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <figcaption>
            Check this credential at <a href={props.url}>{props.url}</a>
          </figcaption>
        </figure>
      </article>
    ),
  });
}

/** HTTP 410 page for a credential whose holder withdrew its public page (the credential itself stays valid). */
import { renderPage } from './page.tsx';

export function renderCredentialGonePage(): string {
  return renderPage({
    title: 'Credential withdrawn by its holder',
    children: (
      <section class="card">
        <h1>This credential is no longer shown here</h1>
        <p>The person who holds this credential has withdrawn its public page. This says nothing about the credential itself: it has not been revoked by the issuer.</p>
        <p class="muted">If the holder gave you the credential file, you can still check it on the <a href="/verify">verification page</a>.</p>
      </section>
    ),
  });
}

export function renderCredentialNotFoundPage(): string {
  return renderPage({
    title: 'No such credential',
    children: (
      <section class="card">
        <h1>There is no credential at this address</h1>
        <p>Check that the link was copied completely. To check a credential file, use the <a href="/verify">verification page</a>.</p>
      </section>
    ),
  });
}

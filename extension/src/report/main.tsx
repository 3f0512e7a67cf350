/** The full report page: the card, then every check's technical detail and the credential as received. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import type { BackgroundRequest, CredentialView } from '../protocol.ts';
import { CredentialCard } from '../ui/card.tsx';
import { t } from '../ui/i18n.ts';
import '../ui/pages.css';

function Report() {
  const [data, setData] = useState<{ view: CredentialView; report?: VerificationReport } | null | undefined>();
  useEffect(() => {
    const key = new URLSearchParams(location.search).get('key') ?? '';
    void (browser.runtime.sendMessage({ type: 'get-report', reportKey: key } satisfies BackgroundRequest) as Promise<typeof data>).then((reply) => setData(reply ?? null));
  }, []);
  if (data === undefined) return <p class="muted">{t('verdict_pending')}</p>;
  if (data === null) return <p>{t('reportNotFound')}</p>;
  return (
    <main>
      <h1>{t('reportTitle')}</h1>
      <CredentialCard view={data.view} id="report" profileName={undefined} />
      {data.report ? (
        <>
          <h2>{t('fieldChecks')}</h2>
          <pre>{JSON.stringify(data.report.checks, null, 2)}</pre>
          <h2>Credential</h2>
          <pre>{JSON.stringify(data.report.credential ?? null, null, 2)}</pre>
        </>
      ) : null}
    </main>
  );
}

document.title = t('reportTitle');
render(<Report />, document.getElementById('app')!);

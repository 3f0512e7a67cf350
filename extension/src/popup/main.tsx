/**
 * The toolbar popup: what was found on the current tab and its verdicts, "Check this page" (the
 * activeTab grant injects the content script), "Always check this site" (a runtime host
 * permission), and a box to paste a credential or drop a badge image.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { BackgroundRequest, CredentialView, TabListReply } from '../protocol.ts';
import { loadSettings, originPattern, saveSettings, siteOrigin } from '../settings.ts';
import { CredentialCard } from '../ui/card.tsx';
import { t } from '../ui/i18n.ts';
import { reportPageUrl, VerdictPill } from '../ui/verdict-pill.tsx';
import '../ui/pages.css';

const MAX_DROP_BYTES = 2 * 1024 * 1024;
const ask = <T,>(request: BackgroundRequest) => browser.runtime.sendMessage(request) as Promise<T>;
const openReport = (key: string) => void browser.tabs.create({ url: reportPageUrl((p) => browser.runtime.getURL(p), key) });

function Popup() {
  const [tab, setTab] = useState<{ id: number; url?: string } | undefined>();
  const [list, setList] = useState<TabListReply | undefined>();
  const [checkable, setCheckable] = useState(true);
  const [pasted, setPasted] = useState('');
  const [result, setResult] = useState<CredentialView | undefined>();
  const [status, setStatus] = useState('');
  const [over, setOver] = useState(false);

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    void browser.tabs.query({ active: true, currentWindow: true }).then(([active]) => {
      if (active?.id === undefined) return;
      setTab({ id: active.id, ...(active.url ? { url: active.url } : {}) });
      setCheckable(!active.url || /^https?:/.test(active.url));
      const refresh = () =>
        browser.tabs.sendMessage(active.id!, { type: 'microcred:list' }).then(
          (reply) => setList(reply as TabListReply),
          () => setList(undefined),
        );
      void refresh();
      // Verdicts stream in while the popup is open.
      timer = setInterval(() => void refresh(), 700);
    });
    return () => clearInterval(timer);
  }, []);

  const checkPage = async () => {
    if (!tab) return;
    try {
      await ask({ type: 'check-tab', tabId: tab.id });
    } catch {
      setCheckable(false);
    }
  };

  const alwaysRun = async () => {
    const origin = tab?.url ? siteOrigin(tab.url) : undefined;
    if (!origin) return;
    const granted = await browser.permissions.request({ origins: [originPattern(origin)] });
    if (!granted) return setStatus(t('optionsPermissionDenied'));
    const settings = await loadSettings();
    await saveSettings({ sites: [...new Set([...settings.sites, origin])] });
    await ask({ type: 'sites-changed' });
    await checkPage();
    setStatus(t('optionsSaved'));
  };

  const verifyFile = async (file: File) => {
    if (file.size > MAX_DROP_BYTES) return setStatus(`${file.name}: > 2 MB`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    setResult(await ask<CredentialView>({ type: 'verify-image', bytes: Array.from(bytes) }));
  };

  return (
    <main>
      <h1>{t('popupTitle')}</h1>
      {!checkable ? (
        <p class="muted">{t('popupCannotCheck')}</p>
      ) : list ? (
        list.findings.length === 0 ? (
          <p class="muted">{t('popupNothingFound')}</p>
        ) : (
          <ul class="findings">
            {list.findings.map((f) => (
              <li class="finding">
                <span class="label">{f.view?.title ?? f.label}</span>
                <VerdictPill verdict={f.verdict} trusted={f.view?.trusted} failedCode={f.view?.failedCode} />
                {f.view ? (
                  <button type="button" onClick={() => openReport(f.view!.reportKey)}>
                    {t('openReport')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : (
        <p>
          <span class="muted">{t('popupNotChecked')}</span>{' '}
          <button type="button" class="primary" onClick={() => void checkPage()}>
            {t('popupCheckPage')}
          </button>
        </p>
      )}
      {checkable && tab?.url ? (
        <p>
          <button type="button" onClick={() => void alwaysRun()}>
            {t('popupAlwaysRun')}
          </button>
        </p>
      ) : null}
      <h2>{t('popupPasteLabel')}</h2>
      <textarea rows={4} value={pasted} onInput={(e) => setPasted((e.currentTarget as HTMLTextAreaElement).value)} aria-label={t('popupPasteLabel')} />
      <p>
        <button type="button" class="primary" disabled={pasted.trim() === ''} onClick={() => void ask<CredentialView>({ type: 'verify-text', text: pasted }).then(setResult)}>
          {t('popupVerify')}
        </button>
      </p>
      <div
        class={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer?.files[0];
          if (file) void verifyFile(file);
        }}
      >
        {t('popupDropImage')}{' '}
        <input type="file" accept="image/png,image/svg+xml,.jwt,.json,.txt" onChange={(e) => {
          const file = (e.currentTarget as HTMLInputElement).files?.[0];
          if (file) void verifyFile(file);
        }} />
      </div>
      {result ? <CredentialCard view={result} id="pasted-result" profileName={undefined} onOpenReport={result.reportKey === 'pasted' ? undefined : () => openReport(result.reportKey)} /> : null}
      <p class="status" role="status">{status}</p>
      <p>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('popupOptions')}
        </button>
      </p>
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);

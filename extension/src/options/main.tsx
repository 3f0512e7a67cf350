/** Options: trusted-issuer list URLs, the sites checked automatically (each a runtime host permission), and clearing the cache. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { BackgroundRequest } from '../protocol.ts';
import { loadSettings, originPattern, saveSettings, siteOrigin } from '../settings.ts';
import { t } from '../ui/i18n.ts';
import '../ui/pages.css';

const ask = (request: BackgroundRequest) => browser.runtime.sendMessage(request);

function Options() {
  const [lists, setLists] = useState('');
  const [sites, setSites] = useState<readonly string[]>([]);
  const [newSite, setNewSite] = useState('');
  const [status, setStatus] = useState('');

  useEffect(() => {
    void loadSettings().then((s) => {
      setLists(s.trustListUrls.join('\n'));
      setSites(s.sites);
    });
  }, []);

  const saveLists = async () => {
    const urls = lists.split(/\s+/).filter((u) => /^https?:\/\//.test(u)).slice(0, 50);
    await saveSettings({ trustListUrls: urls });
    await ask({ type: 'clear-cache' });
    setLists(urls.join('\n'));
    setStatus(t('optionsSaved'));
  };

  const addSite = async () => {
    const origin = siteOrigin(newSite);
    if (!origin) return setStatus(t('optionsBadSite'));
    // Asked from the click itself: browsers only show the permission prompt on a user gesture.
    const granted = await browser.permissions.request({ origins: [originPattern(origin)] });
    if (!granted) return setStatus(t('optionsPermissionDenied'));
    const next = [...new Set([...sites, origin])];
    await saveSettings({ sites: next });
    await ask({ type: 'sites-changed' });
    setSites(next);
    setNewSite('');
    setStatus(t('optionsSaved'));
  };

  const removeSite = async (origin: string) => {
    const next = sites.filter((s) => s !== origin);
    await saveSettings({ sites: next });
    // Give the permission back unless another enabled site needs the same pattern.
    if (!next.some((s) => originPattern(s) === originPattern(origin))) await browser.permissions.remove({ origins: [originPattern(origin)] }).catch(() => false);
    await ask({ type: 'sites-changed' });
    setSites(next);
  };

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <h2>{t('optionsTrustLists')}</h2>
      <p class="muted">{t('optionsTrustListsHelp')}</p>
      <textarea id="trust-lists" rows={4} value={lists} onInput={(e) => setLists((e.currentTarget as HTMLTextAreaElement).value)} />
      <p>
        <button type="button" id="save-lists" class="primary" onClick={() => void saveLists()}>
          {t('optionsSave')}
        </button>
      </p>
      <h2>{t('optionsSites')}</h2>
      <p class="muted">{t('optionsSitesHelp')}</p>
      <ul class="sites">
        {sites.map((site) => (
          <li>
            <span>{site}</span>
            <button type="button" onClick={() => void removeSite(site)}>
              {t('optionsRemove')}
            </button>
          </li>
        ))}
      </ul>
      <p>
        <input id="new-site" type="text" placeholder="https://www.linkedin.com" value={newSite} onInput={(e) => setNewSite((e.currentTarget as HTMLInputElement).value)} />
      </p>
      <p>
        <button type="button" id="add-site" onClick={() => void addSite()}>
          {t('optionsAddSite')}
        </button>
      </p>
      <h2>{t('optionsClearCache')}</h2>
      <p>
        <button type="button" id="clear-cache" onClick={() => void ask({ type: 'clear-cache' }).then(() => setStatus(t('optionsCacheCleared')))}>
          {t('optionsClearCache')}
        </button>
      </p>
      <p class="status" role="status" id="status">
        {status}
      </p>
    </main>
  );
}

document.title = t('optionsTitle');
render(<Options />, document.getElementById('app')!);

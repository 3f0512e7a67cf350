/**
 * The content script: find credentials on the page, show a badge beside each, and ask the
 * background worker for verdicts. It never fetches anything itself and never waits on the
 * network: badges appear as "Checking…" and update as verdicts stream back over the port.
 * Injected at most once per page (registered sites and the popup's "Check this page" may overlap).
 */
// First: its clock starts before the other modules evaluate.
import { SCRIPT_STARTED_AT } from './script-clock.ts';
import { PAGE_PORT, type CredentialView, type PagePortReply, type TabFinding, type TabListReply, type TabRequest } from '../protocol.ts';
import { mountBadge, type BadgeHandle } from '../ui/badge.tsx';
import { readBadgeWords, useBadgeWords } from '../ui/badge-words.ts';
import { loadedCardUi, type CardUi } from '../ui/card-ui-api.ts';
import { DEFAULT_LIMITS } from './detector.ts';
import { DETECTORS } from './detector-registry.ts';
import { contentScriptApi, type ContentPort } from './extension-api.ts';
import { createFrameBatch } from './frame-batch.ts';
import { readProfileName } from './profile-name.ts';
import { createScanner, type FoundCandidate } from './scanner.ts';
import { watchMutations } from './watch-mutations.ts';

const LOADED = Symbol.for('microcred.content-script');
/** The worker may be stopped and restarted by the browser; a page re-asks a few times, not forever. */
const MAX_RECONNECTS = 5;
const scope = globalThis as unknown as Record<symbol, boolean>;

if (!scope[LOADED]) {
  scope[LOADED] = true;
  start();
}

function start(): void {
  // Main-thread time spent by this script, published on the page for the benchmark and page tests.
  // Loading this script's modules is its work too, and so is publishing the figures (inside the window).
  // The longest single stretch says more about jank than the total: published beside it.
  // A block that says `publish: false` (a verdict message, always followed by its repaint frame)
  // leaves writing the figures to the next block: two attribute writes per message were a
  // sizeable part of a cold load, where verdicts arrive in dozens of small messages.
  let workMs = performance.now() - SCRIPT_STARTED_AT;
  let longestMs = workMs;
  const timed = <T>(work: () => T, publish = true): T => {
    const begin = performance.now();
    try {
      return work();
    } finally {
      if (publish) {
        document.documentElement.setAttribute('data-microcred-work-ms', (workMs + performance.now() - begin).toFixed(2));
        document.documentElement.setAttribute('data-microcred-longest-ms', Math.max(longestMs, performance.now() - begin).toFixed(2));
      }
      const spent = performance.now() - begin;
      workMs += spent;
      longestMs = Math.max(longestMs, spent);
    }
  };
  const scanner = createScanner(DETECTORS, DEFAULT_LIMITS);
  // A credential is listed from the scan on; its badge follows at the next frame (see `show`).
  const badges = new Map<string, { candidate: FoundCandidate; badge?: BadgeHandle; view?: CredentialView }>();
  const ownHosts = new WeakSet<Element>();
  // Whose page this is matters only when a card opens or the popup asks: read then, not at load.
  let knownProfileName: string | undefined;
  const profileName = () => (knownProfileName ??= readProfileName(document));
  const api = contentScriptApi();
  let port: ContentPort | undefined;
  let reconnects = 0;

  const connect = (): ContentPort => {
    const p = api.runtime.connect({ name: PAGE_PORT });
    p.onMessage.addListener((message: unknown) => {
      const reply = message as PagePortReply;
      if (reply?.type === 'words') return timed(() => receiveWords(reply.words), false);
      if (reply?.type === 'card-ready') return cardArrived?.(reply.ok === true);
      if (reply?.type !== 'results' || !Array.isArray(reply.items)) return;
      timed(() => {
        for (const { key, view } of reply.items) {
          const entry = badges.get(key);
          if (!entry) continue;
          entry.view = view;
          // A badge not in yet goes in showing this verdict.
          if (entry.badge) verdictPaints.add(key, view);
        }
      }, false);
    });
    p.onDisconnect.addListener(() => {
      port = undefined;
      cardArrived?.(false);
      // The worker may be stopped by the browser; ask again for what is still unanswered.
      const unanswered = [...badges.values()].filter((e) => !e.view).map((e) => e.candidate);
      if (unanswered.length > 0 && reconnects++ < MAX_RECONNECTS) setTimeout(() => request(unanswered), 250);
    });
    return p;
  };

  // Verdicts arrive in several messages; the badges are repainted once per frame, and that work is timed too.
  const verdictPaints = createFrameBatch<string, CredentialView>((items) =>
    timed(() => {
      for (const [key, view] of items) badges.get(key)?.badge?.update(view);
    }),
  );

  const request = (candidates: FoundCandidate[]) => {
    if (candidates.length === 0) return;
    try {
      port ??= connect();
      port.postMessage({ type: 'verify', items: candidates.map((c) => ({ key: c.key, source: c.source })) });
    } catch {
      // The extension was reloaded or removed: this page's script is orphaned; the badges stay "Checking…".
      port = undefined;
    }
  };

  // The card renderer is injected by the worker when a card first opens (ui/card-ui-api.ts).
  let cardUi: Promise<CardUi> | undefined;
  let cardArrived: ((ok: boolean) => void) | undefined;
  const loadCardUi = (): Promise<CardUi> =>
    (cardUi ??= new Promise<CardUi>((resolve, reject) => {
      cardArrived = (ok) => {
        cardArrived = undefined;
        const ui = loadedCardUi();
        if (ok && ui) return resolve(ui);
        // Asked again at the next opening.
        cardUi = undefined;
        reject(new Error('the card renderer was not injected'));
      };
      try {
        port ??= connect();
        port.postMessage({ type: 'load-card' });
      } catch {
        port = undefined;
        cardArrived(false);
      }
    }));

  const badgeOptions = {
    loadCardUi,
    profileName,
    openReport: (reportKey: string) => {
      try {
        port ??= connect();
        port.postMessage({ type: 'open-report', reportKey });
      } catch {
        port = undefined;
      }
    },
  };

  // Badges go in at the next frame (before it is drawn), not in the scan's own task: the page is
  // blocked for the longer of the two instead of their sum, and the worker is already checking.
  // A verdict that came first goes in with the badge (no repaint).
  const mounts = createFrameBatch<string, FoundCandidate>((items) =>
    timed(() => {
      for (const [key, candidate] of items) {
        const entry = badges.get(key);
        if (entry?.candidate !== candidate || !candidate.anchor.isConnected) continue;
        entry.badge = mountBadge(candidate.anchor, badgeOptions, entry.view);
        ownHosts.add(entry.badge.host);
      }
    }),
  );

  // The badges wait for their words, which the worker sends first thing when the page connects
  // (ui/badge-words.ts says why): usually before the next frame; on a cold worker, as soon as it runs.
  let wordsReady = false;
  const receiveWords = (value: unknown) => {
    const words = readBadgeWords(value);
    if (!words) return;
    useBadgeWords(words);
    wordsReady = true;
    for (const [key, entry] of badges) if (!entry.badge) mounts.add(key, entry.candidate);
  };

  const show = (found: FoundCandidate[]) => {
    for (const candidate of found) {
      if (!candidate.anchor.isConnected) continue;
      badges.set(candidate.key, { candidate });
      if (wordsReady) mounts.add(candidate.key, candidate);
    }
    request(found);
  };

  timed(() => show(scanner.scan(document)));
  watchMutations(
    document.body ?? document.documentElement,
    (roots) =>
      timed(() => show(roots.flatMap((root) => scanner.scan(root)))),
    { isOwn: (el) => ownHosts.has(el), measure: timed },
  );

  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if ((message as TabRequest)?.type !== 'microcred:list') return undefined;
    const findings: TabFinding[] = [...badges.values()].map(({ candidate, view }) => ({
      key: candidate.key,
      detector: candidate.detector,
      label: candidate.label,
      verdict: view?.verdict ?? 'pending',
      ...(view ? { view } : {}),
    }));
    const name = profileName();
    sendResponse({ ...(name ? { profileName: name } : {}), findings } satisfies TabListReply);
    return false;
  });
}

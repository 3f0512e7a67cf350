/**
 * The content script: find credentials on the page, show a badge beside each, and ask the
 * background worker for verdicts. It never fetches anything itself and never waits on the
 * network: badges appear as "Checking…" and update as verdicts stream back over the port.
 * Injected at most once per page (registered sites and the popup's "Check this page" may overlap).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { PAGE_PORT, type CredentialView, type PagePortReply, type TabFinding, type TabListReply, type TabRequest } from '../protocol.ts';
import { mountBadge, type BadgeHandle } from '../ui/badge.tsx';
import { DEFAULT_LIMITS } from './detector.ts';
import { DETECTORS } from './detector-registry.ts';
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
  let workMs = 0;
  const timed = <T>(work: () => T): T => {
    const begin = performance.now();
    try {
      return work();
    } finally {
      workMs += performance.now() - begin;
      document.documentElement.setAttribute('data-microcred-work-ms', workMs.toFixed(2));
    }
  };
  const scanner = createScanner(DETECTORS, DEFAULT_LIMITS);
  const badges = new Map<string, { candidate: FoundCandidate; badge: BadgeHandle; view?: CredentialView }>();
  const ownHosts = new WeakSet<Element>();
  let profileName: string | undefined;
  let port: Runtime.Port | undefined;
  let reconnects = 0;

  const connect = (): Runtime.Port => {
    const p = browser.runtime.connect({ name: PAGE_PORT });
    p.onMessage.addListener((message: unknown) => {
      const reply = message as PagePortReply;
      if (reply?.type !== 'results' || !Array.isArray(reply.items)) return;
      timed(() => {
        for (const { key, view } of reply.items) {
          const entry = badges.get(key);
          if (!entry) continue;
          entry.view = view;
          entry.badge.update(view);
        }
      });
    });
    p.onDisconnect.addListener(() => {
      port = undefined;
      // The worker may be stopped by the browser; ask again for what is still unanswered.
      const unanswered = [...badges.values()].filter((e) => !e.view).map((e) => e.candidate);
      if (unanswered.length > 0 && reconnects++ < MAX_RECONNECTS) setTimeout(() => request(unanswered), 250);
    });
    return p;
  };

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

  const badgeOptions = {
    profileName: () => profileName,
    openReport: (reportKey: string) => {
      try {
        port ??= connect();
        port.postMessage({ type: 'open-report', reportKey });
      } catch {
        port = undefined;
      }
    },
  };

  const show = (found: FoundCandidate[]) => {
    for (const candidate of found) {
      if (!candidate.anchor.isConnected) continue;
      const badge = mountBadge(candidate.anchor, badgeOptions);
      ownHosts.add(badge.host);
      badges.set(candidate.key, { candidate, badge });
    }
    request(found);
  };

  timed(() => {
    profileName = readProfileName(document);
    show(scanner.scan(document));
  });
  watchMutations(
    document.body ?? document.documentElement,
    (roots) =>
      timed(() => {
        profileName ??= readProfileName(document);
        show(roots.flatMap((root) => scanner.scan(root)));
      }),
    { isOwn: (el) => ownHosts.has(el) },
  );

  browser.runtime.onMessage.addListener((message: unknown) => {
    if ((message as TabRequest)?.type !== 'microcred:list') return undefined;
    const findings: TabFinding[] = [...badges.values()].map(({ candidate, view }) => ({
      key: candidate.key,
      detector: candidate.detector,
      label: candidate.label,
      verdict: view?.verdict ?? 'pending',
      ...(view ? { view } : {}),
    }));
    return Promise.resolve({ ...(profileName ? { profileName } : {}), findings } satisfies TabListReply);
  });
}

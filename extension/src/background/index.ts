/**
 * The background service worker: the only part of the extension that touches the network. It
 * verifies what content scripts find (streamed back over a port as each verdict is ready),
 * answers the popup, options and report pages, and keeps the auto-check site registrations.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import contentScript from '../content/main.ts?script&iife';
import cardUiScript from '../ui/card-ui.tsx?script&iife';
import { PAGE_PORT, type BackgroundRequest, type CredentialView, type PagePortReply, type PagePortRequest } from '../protocol.ts';
import { createOffscreenProofCheck, offscreenApi } from '../proof/offscreen-proof-check.ts';
import { createWorkerProofCheck } from '../proof/worker-proof-check.ts';
import { loadSettings } from '../settings.ts';
import { unreadableView } from './credential-view.ts';
import { injectIntoTab, syncSiteScripts } from './site-scripts.ts';
import { sourceAllowedFrom } from './source-policy.ts';
import { createVerificationService } from './verification-service.ts';
import { lookUpBadgeWords, type BadgeWords } from '../ui/badge-words.ts';

const workerFetch = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) =>
  // No cookies or credentials: we check what anyone could check, and leak no session to issuers.
  fetch(url, { ...init, credentials: 'omit', redirect: 'follow', referrerPolicy: 'no-referrer' });

// Trusted-issuer lists are URLs the verifier loads through its own bounded, cached document source.
let trustListUrls: Promise<readonly string[]> | undefined;
const trustLists = () => (trustListUrls ??= loadSettings().then((s) => s.trustListUrls));

// The JSON-LD stack that checks Data Integrity proofs stays out of this script: a dedicated worker
// loads it on the first such proof. Chrome's service worker cannot start one, so it goes through an
// offscreen document; Firefox's background page (an event page, not a service worker) starts it directly.
const offscreen = offscreenApi();
const dataIntegrity = offscreen ? createOffscreenProofCheck(offscreen) : createWorkerProofCheck();

// storage.session (Chrome 102+, Firefox 115+) keeps verdicts while the browser stops and restarts this worker.
const service = createVerificationService({ fetch: workerFetch, trustLists, dataIntegrity, ...(browser.storage.session ? { sessionArea: browser.storage.session } : {}) });

// The page badges' words, looked up here once and sent to each page that connects (ui/badge-words.ts).
let badgeWords: BadgeWords | undefined;

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name !== PAGE_PORT || !port.sender?.tab) return;
  port.postMessage({ type: 'words', words: (badgeWords ??= lookUpBadgeWords()) } satisfies PagePortReply);
  let open = true;
  port.onDisconnect.addListener(() => (open = false));
  let batch: { key: string; view: CredentialView }[] = [];
  const send = (key: string, view: CredentialView) => {
    if (batch.length === 0) {
      setTimeout(() => {
        const items = batch;
        batch = [];
        if (open) port.postMessage({ type: 'results', items } satisfies PagePortReply);
      }, 16);
    }
    batch.push({ key, view });
  };
  port.onMessage.addListener((message: unknown) => {
    const request = message as PagePortRequest;
    if (request?.type === 'open-report' && typeof request.reportKey === 'string' && request.reportKey.length < 1000) {
      void browser.tabs.create({ url: browser.runtime.getURL(`extension/src/report/index.html?key=${encodeURIComponent(request.reportKey)}`) });
      return;
    }
    if (request?.type === 'load-card') {
      // Into the frame that asked, in the content script's world (executeScript's default).
      const target = { tabId: port.sender!.tab!.id!, frameIds: [port.sender?.frameId ?? 0] };
      void browser.scripting.executeScript({ target, files: [cardUiScript] }).then(
        () => open && port.postMessage({ type: 'card-ready', ok: true } satisfies PagePortReply),
        () => open && port.postMessage({ type: 'card-ready', ok: false } satisfies PagePortReply),
      );
      return;
    }
    if (request?.type !== 'verify' || !Array.isArray(request.items)) return;
    for (const item of request.items.slice(0, 500)) {
      if (!sourceAllowedFrom(port.sender?.url, item.source)) {
        send(item.key, unreadableView('source.refused', 'This public page points at a service on your own computer; the extension does not follow such links.', `refused:${item.key}`));
        continue;
      }
      void service.verifySource(item.source).then((view) => send(item.key, view));
    }
  });
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  // Only our own pages (popup, options, report) may ask; content scripts use the port.
  if (sender.id !== browser.runtime.id || !sender.url?.startsWith(browser.runtime.getURL(''))) return undefined;
  return handle(message as BackgroundRequest);
});

async function handle(request: BackgroundRequest): Promise<unknown> {
  switch (request?.type) {
    // Sizes are checked by the verifier and the image reader, which say so; cutting the input here would only corrupt it.
    case 'verify-text':
      return service.verifyInput(String(request.text));
    case 'verify-image':
      return service.verifyInput(Uint8Array.from(Array.isArray(request.bytes) ? request.bytes : []));
    case 'check-tab':
      await injectIntoTab(request.tabId, contentScript);
      return { ok: true };
    case 'get-report':
      return (await service.report(request.reportKey)) ?? null;
    case 'sites-changed':
      trustListUrls = undefined;
      return { sites: await syncSiteScripts(contentScript) };
    case 'clear-cache':
      trustListUrls = undefined;
      await service.clear();
      return { ok: true };
    default:
      return undefined;
  }
}

browser.runtime.onInstalled.addListener(() => void syncSiteScripts(contentScript));
browser.runtime.onStartup.addListener(() => void syncSiteScripts(contentScript));
browser.permissions.onRemoved.addListener(() => void syncSiteScripts(contentScript));

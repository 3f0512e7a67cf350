/**
 * The offscreen document (Chrome only): relays Data Integrity proof checks from the service worker
 * to the dedicated proof worker, which it may start and the service worker may not. Only runtime
 * messaging is available here; requests are accepted only from the extension's own contexts, never
 * from a content script (a page could otherwise keep the worker busy).
 */
import { isCheckProofMessage, MAX_REQUEST_CHARS, proofCheckUnavailable, type ProofReply } from '../proof/proof-protocol.ts';
import { createWorkerProofCheck } from '../proof/worker-proof-check.ts';

interface RuntimeApi {
  readonly id: string;
  getURL(path: string): string;
  readonly onMessage: {
    addListener(listener: (message: unknown, sender: { id?: string; url?: string; tab?: unknown }, sendResponse: (reply: ProofReply) => void) => boolean | undefined): void;
  };
}

const runtime = (globalThis as unknown as { chrome: { runtime: RuntimeApi } }).chrome.runtime;
const check = createWorkerProofCheck();

runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Messages for the background worker (from the popup and other pages) reach this document too: not ours, no answer.
  if (!isCheckProofMessage(message)) return undefined;
  if (sender.id !== runtime.id || sender.tab || !sender.url?.startsWith(runtime.getURL(''))) return undefined;
  const { id, request } = message;
  if (JSON.stringify(request).length > MAX_REQUEST_CHARS) {
    sendResponse({ id, outcome: proofCheckUnavailable('The proof check request is too large.') });
    return undefined;
  }
  check(request).then(
    (outcome) => sendResponse({ id, outcome }),
    (error: unknown) => sendResponse({ id, error: String((error as Error)?.message ?? error) }),
  );
  return true;
});

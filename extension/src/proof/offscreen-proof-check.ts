/**
 * Chrome: the service worker's Data Integrity proof check. An MV3 service worker may neither
 * import() code nor start a Worker, so the first proof opens an offscreen document
 * (extension/src/offscreen), which runs proof-worker.ts in a dedicated worker (reason WORKERS);
 * requests go there by runtime messaging with an id, a size cap and a timeout. The document is
 * reused while proofs keep coming and closed after PROOF_IDLE_MS without one.
 */
import type { DataIntegrityProofCheck } from '../../../shared/verify/types.ts';
import { CHECK_PROOF, outcomeOf, PROOF_IDLE_MS, PROOF_TIMEOUT_MS, proofCheckUnavailable, requestTooLarge, type CheckProofMessage } from './proof-protocol.ts';

export const OFFSCREEN_PATH = 'extension/src/offscreen/index.html';

/** The parts of chrome.offscreen / chrome.runtime (Chrome 116+) used here; webextension-polyfill does not type them. */
export interface OffscreenApi {
  readonly offscreen: {
    createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
    closeDocument(): Promise<void>;
  };
  readonly runtime: {
    getURL(path: string): string;
    getContexts(filter: { contextTypes: string[]; documentUrls: string[] }): Promise<unknown[]>;
    sendMessage(message: unknown): Promise<unknown>;
  };
}

/** chrome.offscreen when this browser has it (Chrome), undefined otherwise (Firefox). */
export function offscreenApi(): OffscreenApi | undefined {
  const chrome = (globalThis as { chrome?: Partial<OffscreenApi> }).chrome;
  return chrome?.offscreen && chrome.runtime?.getContexts ? (chrome as OffscreenApi) : undefined;
}

export function createOffscreenProofCheck(api: OffscreenApi): DataIntegrityProofCheck {
  const url = api.runtime.getURL(OFFSCREEN_PATH);
  let opening: Promise<void> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;
  let nextId = 0;

  // The worker may have been restarted while the document stayed open: look before creating.
  const open = () =>
    (opening ??= (async () => {
      const existing = await api.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
      if (existing.length > 0) return;
      await api.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: ['WORKERS'],
        justification: 'Checks Data Integrity proofs in a dedicated worker: service workers can start no workers and load no code on demand.',
      });
    })().catch((error: unknown) => {
      opening = undefined;
      throw error;
    }));

  const close = () => {
    opening = undefined;
    void api.offscreen.closeDocument().catch(() => undefined);
  };

  return async (request) => {
    const tooLarge = requestTooLarge(request);
    if (tooLarge) return tooLarge;
    clearTimeout(idleTimer);
    inFlight++;
    const id = `${Date.now().toString(36)}-${++nextId}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reply: unknown;
    try {
      await open();
      const message: CheckProofMessage = { type: CHECK_PROOF, id, request };
      // Longer than the offscreen worker's own timeout, which answers first when the worker hangs.
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), PROOF_TIMEOUT_MS + 5_000)));
      reply = await Promise.race([api.runtime.sendMessage(message), timeout]);
    } catch (error) {
      return proofCheckUnavailable(`The offscreen document could not be used: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      clearTimeout(timer);
      if (--inFlight === 0) idleTimer = setTimeout(close, PROOF_IDLE_MS);
    }
    if (reply === TIMED_OUT) return proofCheckUnavailable(`No answer from the offscreen document within ${PROOF_TIMEOUT_MS / 1000 + 5} s.`);
    // Throws what the check itself threw: that stays an error, as it would in this thread.
    return outcomeOf(reply, id);
  };
}

const TIMED_OUT = Symbol('timed out');

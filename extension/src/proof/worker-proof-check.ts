/**
 * A Data Integrity proof check that runs in proof-worker.ts: the worker is started on first use,
 * shared by every request (matched to its reply by id), and terminated once nothing has been asked
 * for PROOF_IDLE_MS, which frees the parsed JSON-LD stack. A request with no reply in
 * PROOF_TIMEOUT_MS, or a worker that fails, yields "could not be checked", never a verdict on the proof.
 */
import type { CheckOutcome, DataIntegrityProofCheck } from '../../../shared/verify/types.ts';
import { outcomeOf, PROOF_IDLE_MS, PROOF_TIMEOUT_MS, proofCheckUnavailable, requestTooLarge } from './proof-protocol.ts';

interface Pending {
  resolve(outcome: CheckOutcome): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createWorkerProofCheck(): DataIntegrityProofCheck {
  let worker: Worker | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 0;
  const pending = new Map<string, Pending>();

  const settle = (id: string, reply: unknown) => {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    try {
      entry.resolve(outcomeOf(reply, id));
    } catch (error) {
      entry.reject(error as Error);
    }
    if (pending.size === 0) idleTimer = setTimeout(stop, PROOF_IDLE_MS);
  };

  function stop() {
    clearTimeout(idleTimer);
    worker?.terminate();
    worker = undefined;
  }

  function start(): Worker {
    // Vite bundles the worker (with the JSON-LD stack) as its own file from this very pattern.
    const started = new Worker(new URL('./proof-worker.ts', import.meta.url), { type: 'module' });
    started.onmessage = (event: MessageEvent<{ id?: unknown }>) => settle(String(event.data?.id), event.data);
    started.onerror = (event) => {
      event.preventDefault();
      failAll(`The proof worker failed: ${event.message || 'it could not be loaded'}.`);
    };
    return started;
  }

  /** A worker that failed or hangs is replaced: every request it holds is answered "could not be checked". */
  function failAll(detail: string) {
    stop();
    for (const id of [...pending.keys()]) settle(id, { id, outcome: proofCheckUnavailable(detail) });
  }

  return (request) => {
    const tooLarge = requestTooLarge(request);
    if (tooLarge) return Promise.resolve(tooLarge);
    clearTimeout(idleTimer);
    worker ??= start();
    const id = String(++nextId);
    return new Promise<CheckOutcome>((resolve, reject) => {
      const timer = setTimeout(() => failAll(`No answer from the proof worker within ${PROOF_TIMEOUT_MS / 1000} s.`), PROOF_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      worker!.postMessage({ id, request });
    });
  };
}

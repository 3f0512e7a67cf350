/**
 * The dedicated worker that holds the JSON-LD / RDF canonicalisation stack and checks Data
 * Integrity proofs (shared/verify/data-integrity-proof.ts): started on the first such proof, by the
 * offscreen document in Chrome and by the background page in Firefox, and ended when idle. A
 * worker keeps the canonicalisation off the page's thread and the stack out of the service worker.
 */
import { checkDataIntegrityProof } from '../../../shared/verify/data-integrity-proof.ts';
import type { DataIntegrityRequest } from '../../../shared/verify/types.ts';
import type { ProofReply } from './proof-protocol.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<{ id: string; request: DataIntegrityRequest }>) => {
  const { id, request } = event.data;
  let reply: ProofReply;
  try {
    reply = { id, outcome: await checkDataIntegrityProof(request) };
  } catch (error) {
    reply = { id, error: String((error as Error)?.stack ?? error) };
  }
  scope.postMessage(reply);
};

/**
 * The messages that carry one Data Integrity proof check out of the background worker and back:
 * page ↔ dedicated worker (postMessage) and service worker ↔ offscreen document (runtime
 * messaging). Each request has an id the reply must echo; both directions are size-capped, and a
 * reply is reduced to a well-formed check outcome before the verifier sees it.
 */
import type { CheckOutcome, DataIntegrityRequest } from '../../../shared/verify/types.ts';

/** Ample for the verifier's own input cap (256 KiB by default) plus the key. */
export const MAX_REQUEST_CHARS = 1_000_000;
/** A canonicalisation of a large credential on a slow machine takes seconds, not this long. */
export const PROOF_TIMEOUT_MS = 30_000;
/** With no proof to check for this long, the worker (and the offscreen document) go away. */
export const PROOF_IDLE_MS = 60_000;

const MAX_MESSAGE_CHARS = 1_000;
const MAX_DETAIL_CHARS = 4_000;
const STATUSES = new Set(['passed', 'failed', 'warning', 'skipped']);

/** service worker → offscreen document */
export const CHECK_PROOF = 'microcred:check-proof';
export interface CheckProofMessage {
  readonly type: typeof CHECK_PROOF;
  readonly id: string;
  readonly request: DataIntegrityRequest;
}

/** The answer to a request: the outcome, or the error the check threw (a bug, reported as such by the pipeline). */
export type ProofReply = { readonly id: string; readonly outcome: CheckOutcome } | { readonly id: string; readonly error: string };

export function isCheckProofMessage(message: unknown): message is CheckProofMessage {
  const m = message as Partial<CheckProofMessage> | null;
  return typeof m === 'object' && m !== null && m.type === CHECK_PROOF && typeof m.id === 'string' && typeof m.request === 'object' && m.request !== null;
}

/** Not evidence of forgery: the proof could not be checked here (the verdict says "not checkable"). */
export function proofCheckUnavailable(detail: string): CheckOutcome {
  return { status: 'failed', code: 'signature.proof-check-unavailable', message: 'The Data Integrity proof could not be checked in this browser just now; try again.', detail };
}

export function requestTooLarge(request: DataIntegrityRequest): CheckOutcome | undefined {
  const size = JSON.stringify(request).length;
  return size > MAX_REQUEST_CHARS ? proofCheckUnavailable(`The proof check request is ${size} characters long; at most ${MAX_REQUEST_CHARS} are sent.`) : undefined;
}

/** The outcome in a reply with the expected id, or why there is none; throws what the check threw. */
export function outcomeOf(reply: unknown, id: string): CheckOutcome {
  const r = reply as { id?: unknown; outcome?: Partial<CheckOutcome>; error?: unknown } | null | undefined;
  if (typeof r !== 'object' || r === null || r.id !== id) return proofCheckUnavailable('The proof checker gave no answer to this request.');
  if (typeof r.error === 'string') throw new Error(r.error.slice(0, MAX_DETAIL_CHARS));
  const o = r.outcome;
  if (!o || !STATUSES.has(o.status as string) || typeof o.code !== 'string' || !/^[a-z0-9.-]{1,64}$/.test(o.code) || typeof o.message !== 'string') {
    return proofCheckUnavailable('The proof checker answered with something that is not a check outcome.');
  }
  return {
    status: o.status as CheckOutcome['status'],
    code: o.code,
    message: o.message.slice(0, MAX_MESSAGE_CHARS),
    ...(typeof o.detail === 'string' ? { detail: o.detail.slice(0, MAX_DETAIL_CHARS) } : {}),
  };
}

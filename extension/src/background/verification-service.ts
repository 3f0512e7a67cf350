/**
 * Fetch, verify and cache credentials for every page and the popup, in the service worker.
 * - De-duplicated: one verification per source at a time, however many tabs ask.
 * - Cached by credential id *and* a SHA-256 of the exact bytes, so a forged copy that reuses a
 *   genuine credential's id never inherits its verdict; a verdict older than `ttlMs` is re-checked
 *   from the stored credential (status lists and keys fetched again once their own cache expires).
 * - Bounded: `concurrency` verifications at once; every fetch has the shared timeout and byte cap.
 * - Survives the worker being stopped: verdicts live in a two-level cache (verdict-cache.ts), memory
 *   first, then the browser's session storage area when one is given.
 */
import { createDocumentSource } from '../../../shared/net/document-source.ts';
import type { FetchLike } from '../../../shared/net/fetch-document.ts';
import type { TrustList } from '../../../shared/trust/trust-list.ts';
import type { DataIntegrityProofCheck, VerificationReport } from '../../../shared/verify/types.ts';
import { verifyCredential } from '../../../shared/verify/verify.ts';
import { sourceKey, type CandidateSource, type CredentialView } from '../protocol.ts';
import { credentialView, unreadableView } from './credential-view.ts';
import { createLimiter } from './limiter.ts';
import { createVerdictCache, type CachedEntry, type SessionArea } from './verdict-cache.ts';
import { resolveBytes, resolveSource, type Resolved } from './resolve-source.ts';

export interface VerificationServiceOptions {
  readonly fetch: FetchLike;
  /** Injected clock, ms since epoch. */
  readonly now?: () => number;
  /** How long a verdict is shown before it is re-checked (default 10 minutes). */
  readonly ttlMs?: number;
  /** How long a page URL is assumed to serve the same credential (default 1 hour). */
  readonly sourceTtlMs?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxEntries?: number;
  /** Where verdicts outlive the worker (browser.storage.session); absent: memory only. */
  readonly sessionArea?: SessionArea;
  /** The user's trusted-issuer lists (shared/trust: parsed, or URLs fetched through the document cache); none = "not checked". */
  readonly trustLists?: () => Promise<readonly (TrustList | string)[]>;
  /** Where Data Integrity proofs are checked (a worker in the browser); absent: in this thread, as in Node. */
  readonly dataIntegrity?: DataIntegrityProofCheck;
}

export interface VerificationService {
  verifySource(source: CandidateSource): Promise<CredentialView>;
  /** A pasted credential or a dropped file (image or text). */
  verifyInput(input: string | Uint8Array): Promise<CredentialView>;
  report(reportKey: string): Promise<{ view: CredentialView; report?: VerificationReport } | undefined>;
  clear(): Promise<void>;
}

export function createVerificationService(options: VerificationServiceOptions): VerificationService {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const sourceTtlMs = options.sourceTtlMs ?? 60 * 60_000;
  const limits = { fetch: options.fetch, timeoutMs: options.timeoutMs ?? 8_000, maxBytes: options.maxBytes ?? 1_000_000 };
  // Documents (keys, status lists) expire before verdicts do, so a re-check really re-reads the status.
  let documents = createDocumentSource({ ...limits, ttlMs: Math.min(ttlMs / 2, 5 * 60_000), now });
  const limit = createLimiter(options.concurrency ?? 6);
  const cache = createVerdictCache({ maxEntries: options.maxEntries ?? 1000, ...(options.sessionArea ? { area: options.sessionArea } : {}) });
  const inFlight = new Map<string, Promise<CredentialView>>();

  async function check(input: string, sourceKind: CandidateSource['kind'] | 'pasted'): Promise<{ entryKey: string; entry: CachedEntry }> {
    const trustLists = (await options.trustLists?.()) ?? [];
    const report = await verifyCredential(input, {
      documents,
      now: () => new Date(now()),
      ...(trustLists.length > 0 ? { trustLists } : {}),
      ...(options.dataIntegrity ? { dataIntegrity: options.dataIntegrity } : {}),
    });
    const id = typeof report.credential?.id === 'string' ? report.credential.id : 'no-id';
    const entryKey = `${id}#${await sha256(input)}`;
    // A fetched, pasted or dropped document in no format we know (a random file, a platform's own
    // JSON) is not evidence of forgery: say it cannot be checked. Text the page itself presents as
    // a credential (a vc+ld+json block, a VC-JWT) is judged, and so is anything read as a VC or an
    // OB 2.0 badge (a withdrawn OB 2.0 assertion is "revoked", not "unknown format").
    const notOurFormat = sourceKind !== 'inline' && report.format === undefined && report.checks[0]?.id === 'format' && report.checks[0].status === 'failed';
    const view = notOurFormat
      ? unreadableView(report.checks[0]!.code, `This is not a credential format this extension can check yet (${report.checks[0]!.message})`, entryKey)
      : credentialView(report, entryKey);
    const entry: CachedEntry = { input, kind: sourceKind, report, view, checkedAt: now() };
    cache.putEntry(entryKey, entry);
    return { entryKey, entry };
  }

  async function recheck(entryKey: string, entry: CachedEntry): Promise<CredentialView> {
    const fresh = await check(entry.input, entry.kind);
    if (fresh.entryKey !== entryKey) cache.deleteEntry(entryKey);
    return fresh.entry.view;
  }

  async function verifySourceNow(source: CandidateSource, key: string): Promise<CredentialView> {
    const known = await cache.source(key);
    const entry = known && now() - known.at < sourceTtlMs ? await cache.entry(known.entryKey) : undefined;
    // A fresh verdict is answered at once, without queueing behind running verifications.
    if (known && entry && now() - entry.checkedAt < ttlMs) return entry.view;
    return limit(async () => {
      if (known && entry) return recheck(known.entryKey, entry);
      const resolved: Resolved = await resolveSource(source, limits);
      if (!resolved.ok) {
        const entryKey = `unreadable:${key}`;
        const view = unreadableView(resolved.code, resolved.message, entryKey, resolved.revoked ? 'revoked' : 'unverifiable');
        // Failures are kept briefly only (for the report page): the network may come back.
        cache.putEntry(entryKey, { input: '', kind: source.kind, view, checkedAt: now() - ttlMs + Math.min(ttlMs, 30_000) });
        return view;
      }
      const { entryKey, entry: fresh } = await check(resolved.input, source.kind);
      cache.putSource(key, { entryKey, at: now() });
      return fresh.view;
    });
  }

  return {
    verifySource(source) {
      const key = sourceKey(source);
      const running = inFlight.get(key);
      if (running) return running;
      const task = verifySourceNow(source, key)
        .catch((error: unknown) => unreadableView('extension.bug', `The check stopped unexpectedly: ${(error as Error).message}`, `error:${key}`))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, task);
      return task;
    },
    async verifyInput(input) {
      const resolved = typeof input === 'string' ? ({ ok: true, input, from: 'pasted' } as const) : resolveBytes(input);
      if (!resolved.ok) return unreadableView(resolved.code, resolved.message, 'pasted');
      return (await limit(() => check(resolved.input, 'pasted'))).entry.view;
    },
    async report(reportKey) {
      const entry = await cache.entry(reportKey);
      return entry ? { view: entry.view, ...(entry.report ? { report: entry.report } : {}) } : undefined;
    },
    async clear() {
      documents = createDocumentSource({ ...limits, ttlMs: Math.min(ttlMs / 2, 5 * 60_000), now });
      await cache.clear();
    },
  };
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

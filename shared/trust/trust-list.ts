/**
 * Trusted-issuer lists: a valid signature says who signed, a list says whether the signer is an
 * awarding body the verifier recognises. Two formats are read:
 * - ours (README "Trusted-issuer lists"): `{ "type": "MicrocredTrustList", "name": "…",
 *   "issuers": [{ "id": "<DID or URL>", "name": "…" }] }`;
 * - the Digital Credentials Consortium issuer registry (github.com/digitalcredentials/issuer-registry):
 *   `{ "meta": {…}, "registry": { "<DID>": { "name": "…", "url": "…", "location": "…" } } }`.
 */

export interface TrustedIssuerEntry {
  readonly id: string;
  readonly name?: string;
  readonly url?: string;
}

export interface TrustList {
  /** The list's own name, or where it came from. */
  readonly name: string;
  readonly format: 'microcred' | 'dcc-registry';
  readonly issuers: ReadonlyMap<string, TrustedIssuerEntry>;
}

export type TrustListOutcome = { readonly ok: true; readonly list: TrustList } | { readonly ok: false; readonly code: 'trust.bad-list'; readonly message: string };

const MAX_ISSUERS = 100_000;

export function parseTrustList(json: unknown, source: string): TrustListOutcome {
  if (!isRecord(json)) return bad(`The trust list ${source} is not a JSON object.`);
  if (Array.isArray(json.issuers)) return parseOurs(json, source);
  if (isRecord(json.registry)) return parseDccRegistry(json.registry, source);
  return bad(`The trust list ${source} is neither a microcred trust list (an "issuers" array) nor a DCC issuer registry (a "registry" object).`);
}

function parseOurs(json: Record<string, unknown>, source: string): TrustListOutcome {
  const raw = json.issuers as unknown[];
  if (raw.length > MAX_ISSUERS) return bad(`The trust list ${source} lists more than ${MAX_ISSUERS} issuers.`);
  const issuers = new Map<string, TrustedIssuerEntry>();
  for (const [i, entry] of raw.entries()) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') return bad(`Entry ${i + 1} of the trust list ${source} has no issuer id.`);
    issuers.set(entry.id, { id: entry.id, ...optionalString('name', entry.name), ...optionalString('url', entry.url) });
  }
  return { ok: true, list: { name: typeof json.name === 'string' ? json.name : source, format: 'microcred', issuers } };
}

function parseDccRegistry(registry: Record<string, unknown>, source: string): TrustListOutcome {
  const entries = Object.entries(registry);
  if (entries.length > MAX_ISSUERS) return bad(`The issuer registry ${source} lists more than ${MAX_ISSUERS} issuers.`);
  const issuers = new Map<string, TrustedIssuerEntry>();
  for (const [id, entry] of entries) {
    if (!isRecord(entry)) return bad(`The issuer registry ${source} has a malformed entry for ${id}.`);
    issuers.set(id, { id, ...optionalString('name', entry.name), ...optionalString('url', entry.url) });
  }
  return { ok: true, list: { name: source, format: 'dcc-registry', issuers } };
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(message: string): TrustListOutcome {
  return { ok: false, code: 'trust.bad-list', message };
}

/**
 * Open Badges 2.0 §"Verification" step 1: obtain the assertion and the documents it links —
 * its BadgeClass and the BadgeClass's Issuer profile — each embedded or fetched by URL.
 */
import type { DocumentSource } from '../net/document-source.ts';
import { idOf, isRecord, verificationOf } from './assertion.ts';

/** What OB 2.0 checks after the first report when the badge's documents could not be loaded (offline). */
export const OB2_NOT_LOADED = { status: 'skipped', code: 'ob2.not-checked-offline', message: "Not checked: the badge's documents are not at hand." } as const;

export type Ob2Documents =
  | { readonly ok: true; readonly assertion: Record<string, unknown>; readonly badge: Record<string, unknown>; readonly issuer: Record<string, unknown> }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly unreachable: boolean; readonly gone?: boolean };

export async function loadOb2Documents(args: { assertion?: Record<string, unknown>; url?: string; documents: Pick<DocumentSource, 'getJson'> }): Promise<Ob2Documents> {
  let assertion = args.assertion;
  if (!assertion || Object.keys(assertion).length === 0) {
    if (!args.url) return failure('ob2.malformed', 'The Open Badges 2.0 assertion is empty.', false);
    const fetched = await args.documents.getJson(args.url);
    if (!fetched.ok) {
      // OB 2.0: an issuer revokes a hosted assertion by answering 410 Gone.
      const gone = /HTTP 410\b/.test(fetched.message);
      return { ok: false, code: gone ? 'ob2.assertion-gone' : 'ob2.assertion-unreachable', message: gone ? 'The issuer has withdrawn this badge (its hosted assertion answers 410 Gone).' : `The badge's hosted assertion could not be fetched: ${fetched.message}`, unreachable: !gone, gone };
    }
    if (!isRecord(fetched.value)) return failure('ob2.malformed', `The document at ${args.url} is not an assertion.`, false);
    assertion = fetched.value;
  }
  for (const member of ['recipient', 'badge', 'issuedOn'] as const) {
    if (assertion[member] === undefined) return failure('ob2.malformed', `The Open Badges 2.0 assertion has no ${member}.`, false);
  }
  if (!verificationOf(assertion)) return failure('ob2.malformed', 'The Open Badges 2.0 assertion has no verification.', false);
  const badge = await linked(assertion.badge, 'BadgeClass', args.documents);
  if (!badge.ok) return badge;
  const issuer = await linked(badge.value.issuer, 'Issuer profile', args.documents);
  if (!issuer.ok) return issuer;
  return { ok: true, assertion, badge: badge.value, issuer: issuer.value };
}

async function linked(value: unknown, what: string, documents: Pick<DocumentSource, 'getJson'>): Promise<{ ok: true; value: Record<string, unknown> } | Extract<Ob2Documents, { ok: false }>> {
  if (isRecord(value) && (value.name !== undefined || value.issuer !== undefined)) return { ok: true, value };
  const url = idOf(value);
  if (!url) return failure('ob2.malformed', `The badge names no ${what}.`, false);
  const fetched = await documents.getJson(url);
  if (!fetched.ok) return failure('ob2.linked-unreachable', `The badge's ${what} could not be fetched: ${fetched.message}`, true);
  if (!isRecord(fetched.value)) return failure('ob2.malformed', `The ${what} at ${url} is not a JSON object.`, false);
  if (idOf(fetched.value) !== undefined && idOf(fetched.value) !== url) return failure('ob2.malformed', `The ${what} at ${url} says its id is ${String(idOf(fetched.value))}.`, false);
  return { ok: true, value: fetched.value };
}

function failure(code: string, message: string, unreachable: boolean): Extract<Ob2Documents, { ok: false }> {
  return { ok: false, code, message, unreachable };
}

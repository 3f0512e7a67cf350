/**
 * Fetches a status list credential and verifies it as a credential in its own right (format, issuer
 * key, signature, validity), signed by the same issuer as the credential it covers. Used for
 * Bitstring Status List v1.0 §3.2 and the older StatusList2021 (VC Status List 2021 §5) alike.
 * Policy: a list signed by anyone other than the credential's issuer is not trusted, and the
 * status is then reported as not checkable rather than as "not revoked".
 */
import { issuerIdOf } from '../credential-fields.ts';
import { parseCredential } from '../parse-input.ts';
import { runChecks } from '../run-checks.ts';
import type { CheckOutcome, VerifyContext } from '../types.ts';
import { formatCheck } from '../checks/format.ts';
import { issuerKeyCheck } from '../checks/issuer-key.ts';
import { signatureCheck } from '../checks/signature.ts';
import { validityWindowCheck } from '../checks/validity-window.ts';

const LIST_ACCEPT = 'application/vc+jwt, application/vc+ld+json;q=0.9, application/json;q=0.8';

export type LoadedList = { ok: true; credential: Record<string, unknown> } | { ok: false; outcome: CheckOutcome };

export async function loadList(url: string, issuerId: string, ctx: VerifyContext): Promise<LoadedList> {
  const fetched = await ctx.options.documents.getText(url, LIST_ACCEPT);
  if (!fetched.ok && ctx.options.offline) {
    return { ok: false, outcome: { status: 'skipped', code: 'status.not-checked-offline', message: 'Not checked: the status list is not in the documents given, and nothing is fetched offline.', detail: url } };
  }
  if (!fetched.ok) return notCheckable('status.unreachable', `The revocation status could not be checked: ${fetched.message}`);
  const parsed = parseCredential(fetched.value);
  if (!parsed.ok) return notCheckable('status.list-unreadable', `The issuer's status list could not be read: ${parsed.message}`);
  const listIssuer = issuerIdOf(parsed.parsed.credential);
  if (listIssuer !== issuerId) {
    return notCheckable('status.list-issuer-differs', 'The status list is published by someone other than the issuer, so the status cannot be trusted.', `list issuer ${String(listIssuer)}, credential issuer ${issuerId}`);
  }
  const listCtx: VerifyContext = { options: ctx.options, now: ctx.now, parsed: parsed.parsed };
  const results = await runChecks([formatCheck, issuerKeyCheck, signatureCheck, validityWindowCheck], listCtx);
  const unchecked = results.find((r) => r.status === 'skipped' && (r.id === 'issuer-key' || r.id === 'signature'));
  if (unchecked) {
    return { ok: false, outcome: { status: 'skipped', code: 'status.not-checked-offline', message: "Not checked: the status list's signature cannot be checked offline.", detail: unchecked.code } };
  }
  const failedCheck = results.find((r) => r.status === 'failed');
  if (failedCheck) {
    return notCheckable('status.list-invalid', `The issuer's status list did not verify (${failedCheck.message})`, failedCheck.code);
  }
  return { ok: true, credential: parsed.parsed.credential };
}

function notCheckable(code: string, message: string, detail?: string): LoadedList {
  return { ok: false, outcome: { status: 'warning', code, message, ...(detail ? { detail } : {}) } };
}

/**
 * W3C Bitstring Status List v1.0 §3.2 (validate algorithm): fetch each status list credential the
 * credential points to, verify it was signed by the same issuer, and read the credential's bit.
 * Policy: a list signed by anyone other than the credential's issuer is not trusted, and the
 * status is then reported as not checkable rather than as "not revoked".
 */
import { checkStatusInList, readStatusEntries } from '../../status/read-status.ts';
import { issuerIdOf } from '../credential-fields.ts';
import { parseCredential } from '../parse-input.ts';
import { runChecks } from '../run-checks.ts';
import type { Check, CheckOutcome, ParsedCredential, VerifyContext } from '../types.ts';
import { formatCheck } from './format.ts';
import { issuerKeyCheck } from './issuer-key.ts';
import { signatureCheck } from './signature.ts';
import { validityWindowCheck } from './validity-window.ts';

const LIST_ACCEPT = 'application/vc+jwt, application/vc+ld+json;q=0.9, application/json;q=0.8';

export const statusCheck: Check = {
  id: 'status',
  name: 'Revocation status',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const credential = (ctx.parsed as ParsedCredential).credential;
    const read = readStatusEntries(credential);
    if (!read.ok) return { status: 'failed', code: read.code, message: read.message };
    const entries = read.entries.filter((e) => e.statusPurpose === 'revocation' || e.statusPurpose === 'suspension');
    if (entries.length === 0) {
      return { status: 'passed', code: 'status.none', message: 'The issuer publishes no revocation status for this credential.' };
    }
    const issuerId = issuerIdOf(credential) as string;
    for (const entry of entries) {
      const list = await loadList(entry.statusListCredential, issuerId, ctx);
      if (!list.ok) return list.outcome;
      const bit = await checkStatusInList({ entry, listCredential: list.credential });
      if (!bit.ok) return { status: 'failed', code: bit.code, message: bit.message };
      if (bit.set && entry.statusPurpose === 'revocation') {
        ctx.statusFlags = { ...ctx.statusFlags, revoked: true };
        return { status: 'failed', code: 'status.revoked', message: 'The issuer has revoked this credential.', detail: entry.id };
      }
      if (bit.set) {
        ctx.statusFlags = { ...ctx.statusFlags, suspended: true };
        return { status: 'failed', code: 'status.suspended', message: 'The issuer has suspended this credential.', detail: entry.id };
      }
    }
    return { status: 'passed', code: 'status.active', message: 'Not revoked: the issuer’s status list was checked just now.' };
  },
};

type LoadedList = { ok: true; credential: Record<string, unknown> } | { ok: false; outcome: CheckOutcome };

async function loadList(url: string, issuerId: string, ctx: VerifyContext): Promise<LoadedList> {
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

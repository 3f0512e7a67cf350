/**
 * Credential status (revocation and suspension), by every method issuers use: W3C Bitstring
 * Status List v1.0 §3.2 (validate algorithm), the older StatusList2021, and the 1EdTech Revocation
 * List of OB 3.0 (shared/verify/status). Each list credential must verify and be the issuer's own.
 * Entries of a type this verifier does not know make the status "not checkable" instead of
 * silently "not revoked"; multi-bit (statusSize > 1) message entries carry no revocation and are noted.
 */
import { checkStatusInList, readStatusEntries } from '../../status/read-status.ts';
import { issuerIdOf, typesOf } from '../credential-fields.ts';
import { isObject } from '../parse-input.ts';
import { check1EdTechRevocationList, checkStatusList2021Entry, type EntryOutcome } from '../status/legacy-status.ts';
import { loadList } from '../status/load-status-list.ts';
import type { Check, CheckOutcome, ParsedCredential, VerifyContext } from '../types.ts';

export const statusCheck: Check = {
  id: 'status',
  name: 'Revocation status',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const credential = (ctx.parsed as ParsedCredential).credential;
    const read = readStatusEntries(credential);
    if (!read.ok) return { status: 'failed', code: read.code, message: read.message };
    const issuerId = issuerIdOf(credential) as string;
    const outcomes: EntryOutcome[] = [];
    for (const entry of read.entries.filter((e) => e.statusPurpose === 'revocation' || e.statusPurpose === 'suspension')) {
      outcomes.push(await bitstringEntry(entry, issuerId, ctx));
    }
    const unknownTypes: string[] = [];
    let messagesOnly = 0;
    for (const item of rawEntries(credential)) {
      const types = typesOf(item.type);
      if (types.includes('StatusList2021Entry')) outcomes.push(await checkStatusList2021Entry(item, issuerId, ctx));
      else if (types.includes('1EdTechRevocationList')) outcomes.push(await check1EdTechRevocationList(item, credential, ctx));
      else if (types.includes('BitstringStatusListEntry') && item.statusSize !== undefined && item.statusSize !== 1) messagesOnly += 1;
      else if (!types.includes('BitstringStatusListEntry')) unknownTypes.push(types.join(', ') || 'untyped');
    }
    for (const outcome of outcomes) {
      if (outcome.state === 'revoked' || outcome.state === 'suspended') return flagged(outcome.state, outcome.detail, ctx);
    }
    const problem = outcomes.find((o): o is Extract<EntryOutcome, { state: 'outcome' }> => o.state === 'outcome');
    if (problem) return problem.outcome;
    if (unknownTypes.length > 0) {
      return { status: 'warning', code: 'status.unsupported-type', message: `The revocation status could not be checked: the issuer uses a status method this verifier does not know (${unknownTypes.join('; ')}).` };
    }
    if (outcomes.length === 0) {
      const note = messagesOnly > 0 ? ' (its status messages were not read)' : '';
      return { status: 'passed', code: 'status.none', message: `The issuer publishes no revocation status for this credential${note}.` };
    }
    return { status: 'passed', code: 'status.active', message: 'Not revoked: the issuer’s status list was checked just now.' };
  },
};

async function bitstringEntry(entry: Parameters<typeof checkStatusInList>[0]['entry'], issuerId: string, ctx: VerifyContext): Promise<EntryOutcome> {
  const list = await loadList(entry.statusListCredential, issuerId, ctx);
  if (!list.ok) return { state: 'outcome', outcome: list.outcome };
  const bit = await checkStatusInList({ entry, listCredential: list.credential });
  if (!bit.ok) return { state: 'outcome', outcome: { status: 'failed', code: bit.code, message: bit.message } };
  if (!bit.set) return { state: 'active' };
  return { state: entry.statusPurpose === 'revocation' ? 'revoked' : 'suspended', ...(entry.id ? { detail: entry.id } : {}) };
}

function rawEntries(credential: Record<string, unknown>): Record<string, unknown>[] {
  const status = credential.credentialStatus;
  return (Array.isArray(status) ? status : status === undefined ? [] : [status]).filter(isObject);
}

function flagged(state: 'revoked' | 'suspended', detail: string | undefined, ctx: VerifyContext): CheckOutcome {
  if (state === 'revoked') {
    ctx.statusFlags = { ...ctx.statusFlags, revoked: true };
    return { status: 'failed', code: 'status.revoked', message: 'The issuer has revoked this credential.', ...(detail ? { detail } : {}) };
  }
  ctx.statusFlags = { ...ctx.statusFlags, suspended: true };
  return { status: 'failed', code: 'status.suspended', message: 'The issuer has suspended this credential.', ...(detail ? { detail } : {}) };
}

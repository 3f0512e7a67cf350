/**
 * Issuer trust: a valid signature proves who signed, not that the signer is a recognised awarding
 * body. The caller supplies the issuers it trusts — an inline list and/or trusted-issuer lists
 * (shared/trust: ours or the DCC issuer registry), the latter possibly as URLs loaded here. The
 * outcome tells "listed" from "not in any list" from "lists not checked" (none given, or none could
 * be loaded).
 */
import { parseTrustList, type TrustList } from '../../trust/trust-list.ts';
import { issuerIdOf } from '../credential-fields.ts';
import type { Check, CheckOutcome, ParsedCredential, VerifyContext } from '../types.ts';

export const issuerTrustCheck: Check = {
  id: 'issuer-trust',
  name: 'Trusted issuer',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const { trustedIssuers, trustLists } = ctx.options;
    if (trustedIssuers === undefined && (trustLists === undefined || trustLists.length === 0)) {
      return { status: 'skipped', code: 'trust.not-checked', message: 'No trusted-issuer list was given, so whether this issuer is recognised was not checked.' };
    }
    const issuerId = issuerIdOf((ctx.parsed as ParsedCredential).credential) as string;
    const inline = trustedIssuers?.find((entry) => entry.id === issuerId);
    if (inline) return listed(inline.name, 'the given list');
    const { lists, unavailable } = await loadLists(trustLists ?? [], ctx);
    for (const list of lists) {
      const entry = list.issuers.get(issuerId);
      if (entry) return listed(entry.name, list.name);
    }
    if (trustedIssuers === undefined && lists.length === 0) {
      return { status: 'skipped', code: 'trust.lists-unavailable', message: 'The trusted-issuer lists could not be loaded, so whether this issuer is recognised was not checked.', detail: unavailable.join('; ') };
    }
    const partly = unavailable.length > 0 ? ` (${unavailable.length} list${unavailable.length === 1 ? '' : 's'} could not be loaded)` : '';
    return { status: 'warning', code: 'trust.not-listed', message: `The issuer is not on any of the trusted lists${partly}.`, detail: [issuerId, ...unavailable].join('; ') };
  },
};

function listed(name: string | undefined, listName: string): CheckOutcome {
  return { status: 'passed', code: 'trust.listed', message: `The issuer is on the trusted list ${listName}${name ? ` as ${name}` : ''}.` };
}

async function loadLists(sources: readonly (TrustList | string)[], ctx: VerifyContext): Promise<{ lists: TrustList[]; unavailable: string[] }> {
  const lists: TrustList[] = [];
  const unavailable: string[] = [];
  for (const source of sources) {
    if (typeof source !== 'string') {
      lists.push(source);
      continue;
    }
    const fetched = await ctx.options.documents.getJson(source);
    const parsed = fetched.ok ? parseTrustList(fetched.value, source) : undefined;
    if (parsed?.ok) lists.push(parsed.list);
    else unavailable.push(parsed ? parsed.message : `${source}: ${fetched.ok ? '' : fetched.message}`);
  }
  return { lists, unavailable };
}

/** Bitstring Status List v1.0 §2.1 (BitstringStatusListEntry) and §2.2 (BitstringStatusListCredential), unsigned. */
import { StatusListError } from './bitstring.ts';

export type IssuedStatusPurpose = 'revocation' | 'suspension';

export interface StatusListCredentialArgs {
  /** The URL the list is published at; entries point here through statusListCredential. */
  readonly id: string;
  readonly issuer: string | { readonly id: string; readonly name?: string };
  readonly statusPurpose: IssuedStatusPurpose;
  /** From Bitstring.encode(). */
  readonly encodedList: string;
  readonly validFrom: Date;
  readonly validUntil?: Date;
  /** §2.2 credentialSubject.ttl; publishers should send the same value as HTTP Cache-Control. */
  readonly ttlMs?: number;
}

/** The credential to sign and publish (§3.1 step 5 leaves the proof to the caller). */
export function buildStatusListCredential(args: StatusListCredentialArgs): Record<string, unknown> {
  const credentialSubject: Record<string, unknown> = {
    id: `${args.id}#list`,
    type: 'BitstringStatusList',
    statusPurpose: args.statusPurpose,
    encodedList: args.encodedList,
  };
  if (args.ttlMs !== undefined) credentialSubject.ttl = args.ttlMs;
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: args.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: args.issuer,
    validFrom: toDateTimeStamp(args.validFrom),
    ...(args.validUntil ? { validUntil: toDateTimeStamp(args.validUntil) } : {}),
    credentialSubject,
  };
}

export interface StatusEntryArgs {
  readonly listCredentialUrl: string;
  readonly index: number;
  readonly statusPurpose: IssuedStatusPurpose;
}

/** The credentialStatus entry of an issued credential; its id is list URL + fragment, never the list URL itself (§2.1). */
export function buildStatusEntry(args: StatusEntryArgs): Record<string, unknown> {
  if (!Number.isSafeInteger(args.index) || args.index < 0) {
    throw new StatusListError('STATUS_LIST_INDEX_OUT_OF_RANGE', `A status list index must be a non-negative integer, not ${args.index}.`);
  }
  return {
    id: `${args.listCredentialUrl}#${args.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: args.statusPurpose,
    statusListIndex: String(args.index),
    statusListCredential: args.listCredentialUrl,
  };
}

/** Whole seconds are written as the spec's examples write them ("2021-04-05T14:27:40Z"). */
function toDateTimeStamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Bitstring Status List v1.0 §2.1 (reading BitstringStatusListEntry) and §3.2 (Validate Algorithm, after fetch and proof). */
import { Bitstring, StatusListError, type DecodeLimits } from './bitstring.ts';

export interface StatusEntry {
  readonly id?: string;
  readonly statusPurpose: string;
  readonly statusListIndex: number;
  readonly statusListCredential: string;
}

/** An entry this module does not evaluate, reported so the caller can say the status was only partly checked. */
export interface IgnoredStatusEntry {
  readonly type: string;
  readonly message: string;
}

export interface StatusFailure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

const ENTRY_TYPE = 'BitstringStatusListEntry';

export function readStatusEntries(
  credential: Record<string, unknown>,
): { ok: true; entries: StatusEntry[]; ignored: IgnoredStatusEntry[] } | StatusFailure {
  const status = credential.credentialStatus;
  const raw = status === undefined ? [] : Array.isArray(status) ? status : [status];
  const entries: StatusEntry[] = [];
  const ignored: IgnoredStatusEntry[] = [];
  for (const [position, item] of raw.entries()) {
    const where = raw.length > 1 ? `Status entry ${position + 1}` : 'The status entry';
    if (!isObject(item)) return malformedEntry(`${where} is not an object.`);
    const types = asStrings(item.type);
    if (!types) return malformedEntry(`${where} has no type.`);
    if (!types.includes(ENTRY_TYPE)) {
      ignored.push({ type: types.join(', '), message: `${where} is of type ${types.join(', ')}, which this verifier does not check.` });
      continue;
    }
    const read = readEntry(item, where);
    if (typeof read === 'string') return malformedEntry(read);
    if (read.statusSize !== 1) {
      // §2.1: multi-bit entries carry messages, not a set/unset flag; reading them needs statusMessage handling.
      ignored.push({ type: ENTRY_TYPE, message: `${where} uses ${read.statusSize}-bit statuses, which this verifier does not check.` });
      continue;
    }
    entries.push(read.entry);
  }
  return { ok: true, entries, ignored };
}

/** §2.1 field rules; returns the problem as a sentence. */
function readEntry(item: Record<string, unknown>, where: string): string | { entry: StatusEntry; statusSize: number } {
  const { id, statusPurpose, statusListIndex, statusListCredential, statusSize = 1 } = item;
  if (typeof statusPurpose !== 'string' || statusPurpose === '') return `${where} has no statusPurpose.`;
  if (typeof statusListIndex !== 'string' || !/^[0-9]+$/.test(statusListIndex)) {
    return `${where} has statusListIndex ${JSON.stringify(statusListIndex)}; it must be a non-negative integer written as a string.`;
  }
  if (typeof statusListCredential !== 'string' || !URL.canParse(statusListCredential)) {
    return `${where} has statusListCredential ${JSON.stringify(statusListCredential)}, which is not a URL.`;
  }
  if (id !== undefined && (typeof id !== 'string' || id === statusListCredential)) {
    return `${where} has an id that is not a string or is the status list's own URL.`;
  }
  if (typeof statusSize !== 'number' || !Number.isSafeInteger(statusSize) || statusSize < 1) {
    return `${where} has statusSize ${JSON.stringify(statusSize)}; it must be a positive integer.`;
  }
  const entry: StatusEntry = {
    ...(id === undefined ? {} : { id }),
    statusPurpose,
    // Beyond 2^53 the number is inexact, but also beyond any list this module will decode, so it stays out of range.
    statusListIndex: Number(statusListIndex),
    statusListCredential,
  };
  return { entry, statusSize };
}

/** §3.2 steps 5–10 on a list credential the caller has fetched and whose proof it has verified. */
export async function checkStatusInList(args: {
  entry: StatusEntry;
  listCredential: Record<string, unknown>;
  limits?: DecodeLimits;
}): Promise<{ ok: true; set: boolean } | StatusFailure> {
  const { entry, listCredential } = args;
  const url = entry.statusListCredential;
  if (!asStrings(listCredential.type)?.includes('BitstringStatusListCredential')) {
    return fail('status.list-wrong-type', `The document at ${url} is not a BitstringStatusListCredential.`);
  }
  const subject = listCredential.credentialSubject;
  if (!isObject(subject) || !asStrings(subject.type)?.includes('BitstringStatusList')) {
    return fail('status.list-malformed', `The status list at ${url} has no BitstringStatusList subject.`);
  }
  // §2.2 allows one list to serve several purposes; the entry's purpose must be one of them.
  const purposes = asStrings(subject.statusPurpose) ?? [];
  if (!purposes.includes(entry.statusPurpose)) {
    return fail(
      'status.purpose-mismatch',
      `The status list at ${url} records ${purposes.join(', ') || 'no purpose'}, but the credential asks it about ${entry.statusPurpose}.`,
    );
  }
  let list: Bitstring;
  try {
    list = await Bitstring.decode(subject.encodedList as string, args.limits);
  } catch (error) {
    if (!(error instanceof StatusListError)) throw error;
    return fail(DECODE_FAILURES[error.code] ?? 'status.list-malformed', `The status list at ${url} cannot be read: ${error.message}`);
  }
  if (entry.statusListIndex >= list.length) {
    return fail('status.index-out-of-range', `The credential's status index ${entry.statusListIndex} is beyond the end of the status list at ${url} (${list.length} entries).`);
  }
  return { ok: true, set: list.get(entry.statusListIndex) };
}

const DECODE_FAILURES: Partial<Record<StatusListError['code'], string>> = {
  STATUS_LIST_TOO_LARGE: 'status.list-too-large',
  STATUS_LIST_TOO_SHORT: 'status.list-too-short',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-LD term that may be one string or an array of strings. */
function asStrings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

function malformedEntry(message: string): StatusFailure {
  return fail('status.malformed-entry', message);
}

function fail(code: string, message: string): StatusFailure {
  return { ok: false, code, message };
}

/**
 * Rows of status_lists (Bitstring Status List v1.0 §3.1): index allocation, exactly once per
 * credential, and the signed list credential cached until the next revocation changes the list.
 */
import type { SqlRunner } from './db.ts';
import type { Db } from './db.ts';

/** §3.2 minimumNumberOfEntries (131,072 = 2^17), also the size of each list we create. */
export const STATUS_LIST_SIZE = 131_072;

export interface StatusListRecord {
  readonly id: string;
  readonly purpose: string;
  readonly size: number;
  readonly allocated: number;
  /** Bumped by every revocation, in the revocation's transaction. */
  readonly version: number;
  readonly signedJwt: string | null;
  readonly signedVersion: number | null;
}

export interface AllocatedIndex {
  readonly listId: string;
  readonly index: number;
}

interface ListRow {
  id: string;
  purpose: string;
  size: number;
  allocated: number;
  multiplier: number;
  index_offset: number;
  version: number;
  signed_jwt: string | null;
  signed_version: number | null;
}

export interface AllocationRandomness {
  /** A fresh list id (unguessable is not needed; unique is). */
  listId(): string;
  /** A random integer in [0, bound). */
  below(bound: number): number;
}

/** index = (sequence * multiplier + offset) mod size, a bijection for odd multipliers and size 2^k. */
export const indexOf = (sequence: number, multiplier: number, offset: number, size: number): number =>
  Number((BigInt(sequence) * BigInt(multiplier) + BigInt(offset)) % BigInt(size));

/**
 * Hands out `count` indexes inside the caller's transaction. A guarded UPDATE reserves a run of
 * sequence numbers; under PostgreSQL a concurrent allocator waits for the row lock, re-checks the
 * guard and retries on another list when this one filled up in the meantime.
 */
export async function allocateStatusIndexes(
  tx: SqlRunner,
  args: { purpose: string; count: number; now: number; random: AllocationRandomness; size?: number },
): Promise<AllocatedIndex[]> {
  const size = args.size ?? STATUS_LIST_SIZE;
  const out: AllocatedIndex[] = [];
  while (out.length < args.count) {
    const [open] = await tx.query<ListRow>(
      'SELECT id, allocated, size, multiplier, index_offset FROM status_lists WHERE purpose = ? AND allocated < size ORDER BY created_at, id LIMIT 1',
      [args.purpose],
    );
    if (!open) {
      const multiplier = 2 * args.random.below(size / 2) + 1;
      await tx.run(
        'INSERT INTO status_lists (id, purpose, size, allocated, multiplier, index_offset, version, created_at) VALUES (?, ?, ?, 0, ?, ?, 0, ?)',
        [args.random.listId(), args.purpose, size, multiplier, args.random.below(size), args.now],
      );
      continue;
    }
    const take = Math.min(args.count - out.length, open.size - open.allocated);
    const [reserved] = await tx.query<{ allocated: number }>(
      'UPDATE status_lists SET allocated = allocated + ? WHERE id = ? AND allocated + ? <= size RETURNING allocated',
      [take, open.id, take],
    );
    if (!reserved) continue;
    const end = Number(reserved.allocated);
    for (let sequence = end - take; sequence < end; sequence += 1) {
      out.push({ listId: open.id, index: indexOf(sequence, Number(open.multiplier), Number(open.index_offset), Number(open.size)) });
    }
  }
  return out;
}

export class StatusListRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<StatusListRecord | undefined> {
    const [row] = await this.db.query<ListRow>('SELECT id, purpose, size, allocated, version, signed_jwt, signed_version FROM status_lists WHERE id = ?', [id]);
    return row && { id: row.id, purpose: row.purpose, size: Number(row.size), allocated: Number(row.allocated), version: Number(row.version), signedJwt: row.signed_jwt, signedVersion: row.signed_version === null ? null : Number(row.signed_version) };
  }

  /** Indexes whose credential is revoked: the bits to set. */
  async revokedIndexes(listId: string): Promise<number[]> {
    const rows = await this.db.query<{ status_index: number }>('SELECT status_index FROM issued_credentials WHERE status_list_id = ? AND revoked_at IS NOT NULL', [listId]);
    return rows.map((r) => Number(r.status_index));
  }

  /** Stores a signed list for `version`, unless a newer revocation already moved the list on. */
  async storeSigned(listId: string, version: number, jwt: string): Promise<void> {
    await this.db.run('UPDATE status_lists SET signed_jwt = ?, signed_version = ? WHERE id = ? AND version = ?', [jwt, version, listId, version]);
  }
}

/** Rows of lms_user_links: which LTI `sub` a Canvas user id is on a platform (learned from launches and NRPS). */
import type { Db } from './db.ts';

export interface LmsUserLink {
  readonly lmsUserId: string;
  readonly ltiUserId: string;
}

/** Ids per lookup query, well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export class LmsUserLinkRepository {
  constructor(private readonly db: Db) {}

  /** Records (or corrects) links; the LMS's latest word wins. */
  async record(platformId: string, links: readonly LmsUserLink[], now: number): Promise<void> {
    if (links.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const link of links) {
        await tx.run(
          'INSERT INTO lms_user_links (platform_id, lms_user_id, lti_user_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (platform_id, lms_user_id) DO UPDATE SET lti_user_id = excluded.lti_user_id, updated_at = excluded.updated_at',
          [platformId, link.lmsUserId, link.ltiUserId, now],
        );
      }
    });
  }

  /** lmsUserId → LTI sub, for the ids that are linked. */
  async lookup(platformId: string, lmsUserIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const ids = [...new Set(lmsUserIds)];
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const rows = await this.db.query<{ lms_user_id: string; lti_user_id: string }>(
        `SELECT lms_user_id, lti_user_id FROM lms_user_links WHERE platform_id = ? AND lms_user_id IN (${chunk.map(() => '?').join(', ')})`,
        [platformId, ...chunk],
      );
      for (const row of rows) found.set(row.lms_user_id, row.lti_user_id);
    }
    return found;
  }
}

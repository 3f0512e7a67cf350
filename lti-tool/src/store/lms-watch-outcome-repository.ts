/** Rows of lms_watch_outcomes: what the last LMS watch of each definition found, for the instructor page. */
import type { Db } from './db.ts';

export interface LmsWatchCounts {
  /** Learners enrolled in the LMS course. */
  readonly learners: number;
  /** Learners whose LMS progress meets the criterion. */
  readonly met: number;
  /** Credentials this watch issued. */
  readonly awarded: number;
  readonly alreadyAwarded: number;
  /** Met the criterion, but their LTI identity is not known yet (Canvas): tried again next watch. */
  readonly waitingIdentity: number;
}

export interface LmsWatchOutcome extends LmsWatchCounts {
  readonly definitionId: string;
  readonly checkedAt: Date;
  /** Why the last watch failed; null when it worked. */
  readonly error: string | null;
}

interface OutcomeRow {
  definition_id: string;
  checked_at: number;
  learners: number;
  met: number;
  awarded: number;
  already_awarded: number;
  waiting_identity: number;
  error: string | null;
}

export class LmsWatchOutcomeRepository {
  constructor(private readonly db: Db) {}

  async get(definitionId: string): Promise<LmsWatchOutcome | undefined> {
    const [row] = await this.db.query<OutcomeRow>('SELECT definition_id, checked_at, learners, met, awarded, already_awarded, waiting_identity, error FROM lms_watch_outcomes WHERE definition_id = ?', [definitionId]);
    return (
      row && {
        definitionId: row.definition_id,
        checkedAt: new Date(Number(row.checked_at)),
        learners: Number(row.learners),
        met: Number(row.met),
        awarded: Number(row.awarded),
        alreadyAwarded: Number(row.already_awarded),
        waitingIdentity: Number(row.waiting_identity),
        error: row.error,
      }
    );
  }

  async recordCounts(definitionId: string, counts: LmsWatchCounts, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO lms_watch_outcomes (definition_id, checked_at, learners, met, awarded, already_awarded, waiting_identity, error) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (definition_id) DO UPDATE SET checked_at = excluded.checked_at, learners = excluded.learners, met = excluded.met, awarded = excluded.awarded,
         already_awarded = excluded.already_awarded, waiting_identity = excluded.waiting_identity, error = NULL`,
      [definitionId, now, counts.learners, counts.met, counts.awarded, counts.alreadyAwarded, counts.waitingIdentity],
    );
  }

  /** A failed watch keeps the last counts and adds the reason. */
  async recordError(definitionId: string, error: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO lms_watch_outcomes (definition_id, checked_at, learners, met, awarded, already_awarded, waiting_identity, error) VALUES (?, ?, 0, 0, 0, 0, 0, ?)
       ON CONFLICT (definition_id) DO UPDATE SET checked_at = excluded.checked_at, error = excluded.error`,
      [definitionId, now, error.slice(0, 2000)],
    );
  }
}

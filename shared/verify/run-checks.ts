/**
 * Runs checks in order over one context. A failed fatal check stops the run (later checks are
 * reported as skipped); a check that throws is a bug, reported as a failed check rather than lost.
 */
import type { Check, CheckResult, VerifyContext } from './types.ts';

export async function runChecks(checks: readonly Check[], ctx: VerifyContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let stoppedBy: Check | undefined;
  for (const check of checks) {
    if (stoppedBy) {
      results.push({ id: check.id, name: check.name, status: 'skipped', code: 'skipped.earlier-failure', message: `Not checked, because the ${stoppedBy.name.toLowerCase()} check failed.` });
      continue;
    }
    let outcome;
    try {
      outcome = await check.execute(ctx);
    } catch (error) {
      outcome = { status: 'failed' as const, code: 'internal.error', message: 'This check could not run because of an internal error.', detail: String((error as Error)?.stack ?? error) };
    }
    results.push({ id: check.id, name: check.name, ...outcome });
    if (check.fatal && outcome.status === 'failed') stoppedBy = check;
  }
  return results;
}

/**
 * Runs checks in order over one context. A failed fatal check stops the run (later checks are
 * reported as skipped); a check that throws is a bug, reported as a failed check rather than lost.
 * A check limited to some formats is left out for the others (and when the input was unreadable).
 */
import type { Check, CheckResult, VerifyContext } from './types.ts';

export async function runChecks(checks: readonly Check[], ctx: VerifyContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let stoppedBy: Check | undefined;
  for (const check of checks) {
    if (check.formats && !(ctx.parsed && check.formats.includes(ctx.parsed.format))) continue;
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

/**
 * When a learner has earned a micro-credential: the pass rule of an assessed module (a minimum
 * score on the AGS line item, LTI AGS 2.0 Result `resultScore`/`resultMaximum`, or "completion",
 * where the LMS gates access), a criterion over the LMS's own completion data watched through its
 * REST API (lms-rules.ts), and the stack rule of a pathway made of other definitions.
 */
import { describeLmsRule, validateLmsRule, type LmsPassRule } from '../lms/lms-rules.ts';

export type PassRule =
  | { readonly kind: 'min-score'; readonly minScore: number; readonly scoreMaximum: number }
  | { readonly kind: 'completion' }
  | LmsPassRule;

export type StackRule = { readonly allOf: readonly string[] } | { readonly nOf: number; readonly of: readonly string[] };

/** An AGS-style result (LTI AGS 2.0 §3.3 Result): the score and the maximum it is out of. */
export interface ScoreResult {
  readonly resultScore?: number | null;
  readonly resultMaximum?: number | null;
  /** Set by the LMS watcher: the learner meets the definition's LMS criterion (lms-watch.ts). */
  readonly criterionMet?: boolean;
}

export type RuleProblem = { readonly field: string; readonly message: string };

const MAX_STACK_PARTS = 100;

export function validatePassRule(value: unknown): { ok: true; rule: PassRule } | { ok: false; problem: RuleProblem } {
  const rule = value as Record<string, unknown> | null;
  if (rule?.kind === 'completion') return { ok: true, rule: { kind: 'completion' } };
  if (rule?.kind === 'lms') return validateLmsRule(rule);
  if (rule?.kind === 'min-score') {
    const { minScore, scoreMaximum } = rule;
    if (!isFiniteNumber(scoreMaximum) || scoreMaximum <= 0) return bad('passRule.scoreMaximum', 'The maximum score must be a number above 0.');
    if (!isFiniteNumber(minScore) || minScore < 0 || minScore > scoreMaximum) {
      return bad('passRule.minScore', `The minimum score must be a number from 0 to the maximum score (${scoreMaximum}).`);
    }
    return { ok: true, rule: { kind: 'min-score', minScore, scoreMaximum } };
  }
  return bad('passRule', 'The pass rule must be a minimum score, "completion" or a criterion watched in the LMS.');
}

export function validateStackRule(value: unknown, selfId?: string): { ok: true; rule: StackRule } | { ok: false; problem: RuleProblem } {
  const rule = value as Record<string, unknown> | null;
  const parts = rule && ('allOf' in rule ? rule.allOf : rule.of);
  if (!Array.isArray(parts) || parts.length === 0 || !parts.every((p) => typeof p === 'string' && p !== '')) {
    return bad('stackRule', 'A stack needs a list of the micro-credentials it is made of.');
  }
  const unique = [...new Set(parts as string[])];
  if (unique.length > MAX_STACK_PARTS) return bad('stackRule', `A stack can be made of at most ${MAX_STACK_PARTS} micro-credentials.`);
  if (selfId !== undefined && unique.includes(selfId)) return bad('stackRule', 'A stack cannot be made of itself.');
  if (rule && 'allOf' in rule) return { ok: true, rule: { allOf: unique } };
  const n = rule?.nOf;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > unique.length) {
    return bad('stackRule.nOf', `"n of" must be a whole number from 1 to ${unique.length}.`);
  }
  return { ok: true, rule: { nOf: n as number, of: unique } };
}

export function stackParts(rule: StackRule): readonly string[] {
  return 'allOf' in rule ? rule.allOf : rule.of;
}

/** True when the learner's held parts satisfy the stack. */
export function stackRuleMet(rule: StackRule, held: ReadonlySet<string>): boolean {
  const count = stackParts(rule).filter((part) => held.has(part)).length;
  return 'allOf' in rule ? count === rule.allOf.length : count >= rule.nOf;
}

/**
 * Does this result pass? Scores are compared as fractions of their own maximum, because the
 * platform may report the result out of a different maximum than the rule was written for.
 * A completion rule passes on any launch the LMS let through, so a result is not needed.
 */
export function passes(rule: PassRule, result: ScoreResult | undefined): boolean {
  if (rule.kind === 'completion') return true;
  // Only the watcher, having read the LMS, can say an LMS criterion is met; nothing else passes it.
  if (rule.kind === 'lms') return result?.criterionMet === true;
  const score = result?.resultScore;
  if (!isFiniteNumber(score)) return false;
  const maximum = isFiniteNumber(result?.resultMaximum) && (result?.resultMaximum as number) > 0 ? (result?.resultMaximum as number) : rule.scoreMaximum;
  // Cross-multiplied to avoid rounding: score/maximum >= minScore/scoreMaximum.
  return score * rule.scoreMaximum >= rule.minScore * maximum;
}

export function describePassRule(rule: PassRule): string {
  if (rule.kind === 'lms') return describeLmsRule(rule);
  return rule.kind === 'completion' ? 'Complete the activity' : `Score at least ${rule.minScore} out of ${rule.scoreMaximum}`;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function bad(field: string, message: string): { ok: false; problem: RuleProblem } {
  return { ok: false, problem: { field, message } };
}

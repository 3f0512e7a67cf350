/** VC Data Model 2.0 §4.9 (validFrom / validUntil) and RFC 7519 §4.1.4–5 (exp / nbf), with a clock-skew allowance. */
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

export const validityWindowCheck: Check = {
  id: 'validity-window',
  name: 'Validity period',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const parsed = ctx.parsed as ParsedCredential;
    const skewMs = (ctx.options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
    const from = latest(dateOf(parsed.credential.validFrom ?? parsed.credential.issuanceDate), secondsOf(parsed.jwt?.payload.nbf));
    const until = earliest(dateOf(parsed.credential.validUntil ?? parsed.credential.expirationDate), secondsOf(parsed.jwt?.payload.exp));
    if (from === null || until === null) {
      return { status: 'failed', code: 'validity.bad-date', message: 'The credential carries a date that cannot be read.' };
    }
    const now = ctx.now.getTime();
    if (from && now + skewMs < from.getTime()) {
      return { status: 'failed', code: 'validity.not-yet-valid', message: `The credential is not valid before ${day(from)}.`, detail: from.toISOString() };
    }
    if (until && now - skewMs >= until.getTime()) {
      return { status: 'failed', code: 'validity.expired', message: `The credential expired on ${day(until)}.`, detail: until.toISOString() };
    }
    const since = from ? `Valid since ${day(from)}` : 'Valid';
    return { status: 'passed', code: 'validity.ok', message: until ? `${since}, until ${day(until)}.` : `${since}, with no expiry date.` };
  },
};

/** undefined = absent, null = present but unreadable. */
function dateOf(value: unknown): Date | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function secondsOf(value: unknown): Date | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : null;
}

function latest(a: Date | undefined | null, b: Date | undefined | null): Date | undefined | null {
  if (a === null || b === null) return null;
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

function earliest(a: Date | undefined | null, b: Date | undefined | null): Date | undefined | null {
  if (a === null || b === null) return null;
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

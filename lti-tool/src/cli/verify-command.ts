/** `microcred verify <file|url|->`: exit 0 verified, 1 checked and not verified, 2 unreadable input. */
import { parseCredential } from '../../../shared/verify/parse-input.ts';
import type { VerificationReport } from '../../../shared/verify/types.ts';
import { verifyParsed } from '../../../shared/verify/verify.ts';
import { MAX_INPUT_BYTES, readCredentialInput } from './read-input.ts';
import type { CliIo } from './io.ts';
import { buildVerifyOptions, type VerifyFlags } from './verify-options.ts';

export async function verifyCommand(args: { input: string | undefined; json: boolean } & VerifyFlags, io: CliIo): Promise<number> {
  if (!args.input) {
    io.err('microcred verify: give a file, a URL, or - for standard input.');
    return 2;
  }
  if (args.offline && /^https?:\/\//i.test(args.input)) {
    io.err('microcred verify: --offline fetches nothing; give the credential as a file or on standard input.');
    return 2;
  }
  const built = await buildVerifyOptions(args, io);
  if (!built.ok) {
    io.err(`microcred verify: ${built.message}`);
    return 2;
  }
  const read = await readCredentialInput(args.input, io.fetch, io.stdin);
  if (!read.ok) {
    io.err(`microcred verify: ${read.message}`);
    return 2;
  }
  const parsed = parseCredential(read.bytes, MAX_INPUT_BYTES);
  if (!parsed.ok) {
    io.err(`microcred verify: ${read.source}: ${parsed.message}`);
    return 2;
  }
  const report = await verifyParsed(parsed.parsed, { ...built.options, maxInputBytes: MAX_INPUT_BYTES });
  io.out(args.json ? JSON.stringify(toJson(report), null, 2) : renderReport(report));
  return report.verified ? 0 : 1;
}

function toJson(report: VerificationReport): Record<string, unknown> {
  return {
    verified: report.verified,
    verdict: report.verdict,
    summary: report.summary,
    format: report.format,
    issuer: report.issuer,
    checks: report.checks.map(({ id, name, status, code, message, detail }) => ({ id, name, status, code, message, ...(detail ? { detail } : {}) })),
    eu: report.eu,
    credential: report.credential,
    ...(report.baked ? { baked: report.baked } : {}),
    ...(report.inner ? { inner: report.inner.map(toJson) } : {}),
  };
}

const MARKS = { passed: '✓', failed: '✗', warning: '!', skipped: '-' } as const;

function renderReport(report: VerificationReport): string {
  const lines = [report.summary];
  const title = typeof report.credential?.name === 'string' ? report.credential.name : undefined;
  if (title) lines.push(`  Credential: ${title}`);
  if (report.issuer) lines.push(`  Issuer:     ${report.issuer.name ? `${report.issuer.name} (${report.issuer.id})` : report.issuer.id}`);
  if (report.eu?.learner?.name) lines.push(`  Learner:    ${report.eu.learner.name}`);
  lines.push('');
  for (const check of report.checks) lines.push(`  ${MARKS[check.status]} ${check.name}: ${check.message}`);
  for (const [i, inner] of (report.inner ?? []).entries()) lines.push('', `  Credential ${i + 1} in this record:`, ...renderReport(inner).split('\n').map((line) => `  ${line}`));
  return lines.join('\n');
}

/** `microcred issue --definition d.json --learner l.json [--grade G]`: print one signed VC-JWT. */
import { issueCredential } from '../issuance/issue-credential.ts';
import { openRuntime } from '../runtime.ts';
import type { CliIo } from './io.ts';
import { readJsonFile } from './read-json-file.ts';

export async function issueCommand(args: { definition: string | undefined; learner: string | undefined; grade: string | undefined; json: boolean }, io: CliIo): Promise<number> {
  if (!args.definition || !args.learner) {
    io.err('microcred issue: give --definition <definition.json> and --learner <learner.json>.');
    return 2;
  }
  const definition = await readJsonFile(args.definition, 'definition');
  if (!definition.ok) return usageError(io, definition.message);
  const learner = await readJsonFile(args.learner, 'learner');
  if (!learner.ok) return usageError(io, learner.message);

  const runtime = await openRuntime(io.env);
  try {
    if (runtime.generatedKeySecret) io.err(`microcred: created a new key secret in ${runtime.generatedKeySecret}; back it up, the issuer keys cannot be used without it.`);
    const outcome = await issueCredential(runtime.issuer, {
      definition: definition.value,
      learner: learner.value,
      ...(args.grade ? { result: { grade: args.grade } } : {}),
    });
    if (!outcome.ok) {
      io.err(`microcred issue: the credential was not issued.\n${outcome.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    io.out(args.json ? JSON.stringify(outcome.credential, null, 2) : outcome.jwt);
    return 0;
  } finally {
    await runtime.close();
  }
}

function usageError(io: CliIo, message: string): number {
  io.err(`microcred issue: ${message}`);
  return 2;
}

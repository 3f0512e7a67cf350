/**
 * Issue one credential outside the LMS flow (recognition of prior learning, scripting): check the
 * definition for every mandatory EU element, build the OB 3.0 AchievementCredential, sign it.
 */
import { buildAchievementCredential, CredentialBuildError } from '../../../shared/credential/build-credential.ts';
import { checkDefinition } from '../../../shared/credential/completeness.ts';
import type { AwardResult, Learner } from '../../../shared/credential/types.ts';
import type { Issuer } from './issuer.ts';

export type IssueOutcome =
  | { readonly ok: true; readonly jwt: string; readonly credential: Record<string, unknown> }
  | { readonly ok: false; readonly code: 'DEFINITION_INVALID' | 'LEARNER_INVALID'; readonly problems: readonly string[] };

export async function issueCredential(issuer: Issuer, args: { definition: unknown; learner: unknown; result?: AwardResult }): Promise<IssueOutcome> {
  const checked = checkDefinition(args.definition);
  if (!checked.ok) return { ok: false, code: 'DEFINITION_INVALID', problems: checked.problems.map((p) => p.message) };
  let credential: Record<string, unknown>;
  try {
    credential = await buildAchievementCredential({
      definition: checked.definition,
      learner: args.learner as Learner,
      ...(args.result ? { result: args.result } : {}),
      issuerId: issuer.id,
      credentialId: `urn:uuid:${crypto.randomUUID()}`,
    });
  } catch (error) {
    if (error instanceof CredentialBuildError) {
      return { ok: false, code: error.code === 'CREDENTIAL_LEARNER_INVALID' ? 'LEARNER_INVALID' : 'DEFINITION_INVALID', problems: [error.message] };
    }
    throw error;
  }
  return { ok: true, jwt: await issuer.sign(credential), credential };
}

/**
 * The OB 3.0 credentials of one batch of awards, built with one call to the shared builder
 * (shared/credential/build-credential.ts) and varied per learner only where a credential differs
 * from its batch-mates: id, learner identifiers, grade and status entry. A test proves the output
 * equal to the builder's for every learner shape; building the whole 10 kB document per learner
 * was the slowest step of a bulk award.
 */
import { randomBytes } from 'node:crypto';
import { buildAchievementCredential, hashEmail } from '../../../shared/credential/build-credential.ts';
import type { MicroCredentialDefinition } from '../../../shared/credential/types.ts';

export interface BatchLearnerCredential {
  readonly credentialId: string;
  readonly name: string;
  readonly email?: string | undefined;
  readonly grade?: string | undefined;
  readonly credentialStatus: Record<string, unknown>;
  /** Email hash salt; random when absent (tests pass one to compare with the builder). */
  readonly salt?: string;
}

export type BatchCredentialFactory = (learner: BatchLearnerCredential) => Promise<Record<string, unknown>>;

export async function batchCredentialFactory(args: { definition: MicroCredentialDefinition; issuerId: string; issuedAt: Date }): Promise<BatchCredentialFactory> {
  const template = await buildAchievementCredential({ definition: args.definition, learner: { name: 'template' }, result: { issuedAt: args.issuedAt }, issuerId: args.issuerId, credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000' });
  const { result: _none, identifier: _template, ...subject } = template.credentialSubject as Record<string, unknown>;
  const gradeId = `${args.definition.id}#grade`;
  return async (learner) => {
    const identifier: Record<string, unknown>[] = [{ type: 'IdentityObject', hashed: false, identityHash: learner.name, identityType: 'name' }];
    if (learner.email) {
      const salt = learner.salt ?? randomBytes(16).toString('hex');
      identifier.push({ type: 'IdentityObject', hashed: true, identityHash: await hashEmail(learner.email, salt), identityType: 'emailAddress', salt });
    }
    const result = learner.grade ? [{ type: ['Result'], value: learner.grade, ...(args.definition.gradeScheme ? { resultDescription: gradeId } : {}) }] : undefined;
    return {
      ...template,
      id: learner.credentialId,
      credentialSubject: { ...subject, identifier, ...(result ? { result } : {}) },
      credentialStatus: learner.credentialStatus,
    };
  };
}

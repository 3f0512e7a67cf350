/** `microcred revoke <credential-id|url> --reason "..."`: revoke one credential; its status list changes at once. */
import { credentialIdFrom } from '../issuance/ids.ts';
import { revokeCredential } from '../issuance/revocation.ts';
import { openRuntime } from '../runtime.ts';
import type { CliIo } from './io.ts';

export async function revokeCommand(args: { credential: string | undefined; reason: string | undefined }, io: CliIo): Promise<number> {
  if (!args.credential || !args.reason?.trim()) {
    io.err('microcred revoke: give the credential id or its public URL, and --reason "why it is revoked".');
    return 2;
  }
  const id = credentialIdFrom(args.credential);
  if (!id) {
    io.err(`microcred revoke: "${args.credential}" is neither a credential id nor a credential URL (…/credentials/<id>).`);
    return 2;
  }
  const runtime = await openRuntime(io.env);
  try {
    const outcome = await revokeCredential(runtime.issuance, { credentialId: id, reason: args.reason });
    if (!outcome.ok) {
      io.err(`microcred revoke: ${outcome.message}`);
      return outcome.code === 'CREDENTIAL_NOT_FOUND' || outcome.code === 'REASON_REQUIRED' ? 2 : 1;
    }
    io.out(`Revoked ${runtime.config.publicUrl}/credentials/${id} (status list ${outcome.credential.statusListId}, index ${outcome.credential.statusIndex}). Reason: ${outcome.credential.revocationReason}`);
    return 0;
  } finally {
    await runtime.close();
  }
}

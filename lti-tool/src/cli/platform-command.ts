/** `microcred platform add|list`: manual LTI 1.3 platform registrations, in the same database the running tool reads. */
import { checkPlatformInput, type PlatformInput } from '../lti/manual-registration.ts';
import { openRuntime } from '../runtime.ts';
import type { PlatformRecord } from '../store/lti-platform-repository.ts';
import type { CliIo } from './io.ts';

export interface PlatformArgs extends PlatformInput {
  readonly action: string | undefined;
}

export async function platformCommand(args: PlatformArgs, io: CliIo): Promise<number> {
  if (args.action !== 'add' && args.action !== 'list') {
    io.err('microcred platform: use "add" or "list".');
    return 2;
  }
  const checked = args.action === 'add' ? checkPlatformInput(args) : undefined;
  if (checked && !checked.ok) {
    io.err(`microcred platform add: ${checked.problems.join(' ')}`);
    return 2;
  }
  const runtime = await openRuntime(io.env);
  try {
    if (checked?.ok) {
      const platform = await runtime.store.ltiPlatforms.upsert(checked.platform);
      io.out(`Registered ${describe(platform)}`);
      return 0;
    }
    const platforms = await runtime.store.ltiPlatforms.list();
    io.out(platforms.length === 0 ? 'No LMS platform is registered yet. Use "microcred platform add" or Dynamic Registration.' : platforms.map(describe).join('\n'));
    return 0;
  } finally {
    await runtime.close();
  }
}

function describe(p: PlatformRecord): string {
  return `${p.name}: issuer ${p.issuer}, client id ${p.clientId}, deployments ${p.deploymentIds.join(', ') || 'none'} (${p.registeredBy})\n  auth ${p.authUrl}\n  token ${p.tokenUrl}\n  jwks ${p.jwksUrl}`;
}

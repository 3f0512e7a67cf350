/** `microcred keys generate|list|rotate`: the issuer keys in ./data or DATABASE_URL, shared with the running tool. */
import { SIGNING_ALGS, type SigningAlg } from '../../../shared/crypto/keys.ts';
import { IssuerKeyError, type IssuerKeyInfo } from '../keys/issuer-keys.ts';
import { openRuntime } from '../runtime.ts';
import type { CliIo } from './io.ts';

export async function keysCommand(args: { action: string | undefined; alg: string | undefined }, io: CliIo): Promise<number> {
  if (args.action !== 'generate' && args.action !== 'list' && args.action !== 'rotate') {
    io.err('microcred keys: use "generate", "list" or "rotate".');
    return 2;
  }
  if (args.alg !== undefined && !SIGNING_ALGS.includes(args.alg as SigningAlg)) {
    io.err(`microcred keys: --alg must be one of ${SIGNING_ALGS.join(', ')}.`);
    return 2;
  }
  const alg = args.alg as SigningAlg | undefined;
  const runtime = await openRuntime(io.env);
  try {
    if (runtime.generatedKeySecret) io.err(`microcred: created a new key secret in ${runtime.generatedKeySecret}; back it up, the issuer keys cannot be used without it.`);
    if (args.action === 'list') {
      const keys = await runtime.keys.list();
      io.out(keys.length === 0 ? 'No issuer keys yet; one is created on first use, or run "microcred keys generate".' : keys.map(describe).join('\n'));
      return 0;
    }
    const key = args.action === 'generate' ? await runtime.keys.generate(alg) : await runtime.keys.rotate(alg);
    io.out(`${args.action === 'generate' ? 'Generated' : 'Rotated to'} ${describe(key)}`);
    return 0;
  } catch (error) {
    if (error instanceof IssuerKeyError) {
      io.err(`microcred keys: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await runtime.close();
  }
}

function describe(key: IssuerKeyInfo): string {
  const retired = key.retiredAt ? `, retired ${key.retiredAt.toISOString()}` : '';
  return `${key.status.padEnd(7)} ${key.alg.padEnd(6)} ${key.kid} (created ${key.createdAt.toISOString()}${retired})`;
}

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import type { CliIo } from '../../../lti-tool/src/cli/io.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { tamper } from '../../shared/verify/test-issuer.ts';
import { startToolServer, type ToolServer } from './tool-server.ts';

const DEFINITION = new URL('../../../examples/definition.json', import.meta.url).pathname;
const LEARNER = new URL('../../../examples/learner.json', import.meta.url).pathname;
const BIN = new URL('../../../bin/microcred.js', import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), fetch: (url, init) => fetch(url, init), stdin: Readable.from([stdin]), env };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe.each(STORE_KINDS)('microcred issue and verify against the running tool (%s)', (kind) => {
  let tool: ToolServer;
  let dir: string;
  beforeAll(async () => {
    tool = await startToolServer(kind);
    dir = mkdtempSync(join(tmpdir(), 'microcred-cli-'));
  });
  afterAll(() => tool.close());

  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  test('when the CLI issues a credential, then the CLI verifies it against what the running tool publishes', async () => {
    const issued = await cli(['issue', '--definition', DEFINITION, '--learner', LEARNER, '--grade', '92'], tool.env);
    expect(issued.err).toBe('');
    expect(issued.code).toBe(0);
    const jwt = issued.out.trim();
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string; typ: string };
    expect(header.typ).toBe('vc+jwt');
    expect(header.kid.startsWith(`${tool.runtime.config.issuerDid}#`)).toBe(true);

    const verified = await cli(['verify', write('good.jwt', jwt), '--json'], tool.env);
    expect(verified.code).toBe(0);
    const report = JSON.parse(verified.out) as { verified: boolean; checks: { id: string; status: string; message: string }[]; credential: { issuer: { id: string } } };
    expect(report.verified).toBe(true);
    expect(report.checks.find((c) => c.id === 'signature')?.status).toBe('passed');
    expect(report.credential.issuer.id).toBe(tool.runtime.config.issuerDid);
  });

  test('when the credential is tampered with, then verify exits 1 and names the failed signature', async () => {
    const { out } = await cli(['issue', '--definition', DEFINITION, '--learner', LEARNER], tool.env);
    const forged = tamper(out.trim(), (p) => {
      p.name = 'Doctorate in Everything';
    });
    const result = await cli(['verify', write('tampered.jwt', forged)], tool.env);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/✗ Signature: The signature does not match/);
  });

  test('when the issuer rotates its key, then credentials signed with the old key still verify and new ones use the new key', async () => {
    const before = (await cli(['issue', '--definition', DEFINITION, '--learner', LEARNER], tool.env)).out.trim();
    const rotated = await cli(['keys', 'rotate', '--alg', 'ES256'], tool.env);
    expect(rotated.code).toBe(0);
    const after = (await cli(['issue', '--definition', DEFINITION, '--learner', LEARNER], tool.env)).out.trim();
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).alg).toBe('ES256');
    expect((await cli(['verify', write('before.jwt', before)], tool.env)).code).toBe(0);
    expect((await cli(['verify', write('after.jwt', after)], tool.env)).code).toBe(0);
    const listed = await cli(['keys', 'list'], tool.env);
    expect(listed.out).toMatch(/^active\s+ES256/m);
    expect(listed.out).toMatch(/^retired/m);
  });

  test('when the credential is read from a URL or standard input, then it verifies the same way', async () => {
    const jwt = (await cli(['issue', '--definition', DEFINITION, '--learner', LEARNER], tool.env)).out.trim();
    expect((await cli(['verify', '-'], tool.env, jwt)).code).toBe(0);
    const served = await cli(['verify', `${tool.baseUrl}/.well-known/jwks.json`], tool.env);
    expect(served.code).toBe(2);
    expect(served.err).toMatch(/not a Verifiable Credential|neither a VC-JWT/);
  });

  test('when the definition misses a mandatory EU element, then issue refuses and names it', async () => {
    const definition = JSON.parse(await (await import('node:fs/promises')).readFile(DEFINITION, 'utf8')) as Record<string, unknown>;
    delete definition.qualityAssurance;
    const result = await cli(['issue', '--definition', write('incomplete.json', JSON.stringify(definition)), '--learner', LEARNER], tool.env);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/Type of quality assurance/);
  });
});

describe('the microcred command', () => {
  test('when the input cannot be read or parsed, then it exits 2 with a one-line reason', async () => {
    const run = promisify(execFile);
    const missing = await run('node', [BIN, 'verify', '/nonexistent/credential.jwt']).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    const garbage = join(mkdtempSync(join(tmpdir(), 'microcred-bin-')), 'garbage.txt');
    writeFileSync(garbage, 'this is not a credential');
    const unparsable = await run('node', [BIN, 'verify', garbage]).catch((e: { code: number; stderr: string }) => e);
    expect(unparsable).toMatchObject({ code: 2 });
    expect((unparsable as { stderr: string }).stderr).toMatch(/neither a VC-JWT nor a JSON credential/);
  });
});

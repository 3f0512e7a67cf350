import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../lti-tool/src/cli.ts';
import type { CliIo } from '../../../lti-tool/src/cli/io.ts';
import { bakePng } from '../../../shared/baking/bake-png.ts';
import { createTestIssuer, type TestIssuer } from '../../shared/verify/test-issuer.ts';

/** The CLI with a fetch that records and refuses: offline runs must not call it at all. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string; fetched: string[] }> {
  let out = '';
  let err = '';
  const fetched: string[] = [];
  const io: CliIo = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    fetch: async (url) => {
      fetched.push(url);
      throw new Error('no network in this test');
    },
    stdin: Readable.from(['']),
    env: {},
  };
  return { code: await runCli(args, io), out, err, fetched };
}

describe('microcred verify --documents / --offline / --trust / --recipient', () => {
  let issuer: TestIssuer;
  let dir: string;
  const write = (name: string, content: string | Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    dir = mkdtempSync(join(tmpdir(), 'microcred-documents-'));
    const text = async (url: string) => {
      const got = await issuer.documents.getText(url);
      if (!got.ok) throw new Error(got.message);
      return got.value;
    };
    write('did.json', await text('https://issuer.example/.well-known/did.json'));
    write('status.jwt', await text(issuer.statusListUrl));
    write('map.json', JSON.stringify({ [issuer.did]: 'did.json', [issuer.statusListUrl]: 'status.jwt' }));
    write('trust.json', JSON.stringify({ type: 'MicrocredTrustList', name: 'Pilot list', issuers: [{ id: issuer.did, name: 'Academy' }] }));
  });

  test('when a baked PNG is verified offline from a documents folder, then every check runs and nothing is fetched', async () => {
    const png = bakePng(new Uint8Array(readFileSync(new URL('../../fixtures/vectors/openbadges-bakery/unbaked.png', import.meta.url))), await issuer.issue({ index: 2 }));
    const result = await cli(['verify', write('badge.png', png), '--documents', dir, '--offline', '--trust', join(dir, 'trust.json'), '--json']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { verdict: string; baked: string; checks: { id: string; code: string }[] };
    expect(report.baked).toBe('png');
    expect(report.checks.find((c) => c.id === 'status')?.code).toBe('status.active');
    expect(report.checks.find((c) => c.id === 'issuer-trust')?.code).toBe('trust.listed');
    expect(result.fetched).toEqual([]);
  });

  test('when offline without the documents, then the output says "not checked" and exits 1', async () => {
    const result = await cli(['verify', write('plain.jwt', await issuer.issue()), '--offline']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Not checked');
    expect(result.fetched).toEqual([]);
  });

  test('when the map is unsafe, the trust list unreadable, or a URL is given offline, then exit 2 with a reason', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'microcred-bad-'));
    writeFileSync(join(bad, 'map.json'), JSON.stringify({ 'https://x.example/a': '../../etc/passwd' }));
    const jwt = write('other.jwt', await issuer.issue());
    expect(await cli(['verify', jwt, '--documents', bad])).toMatchObject({ code: 2 });
    expect((await cli(['verify', jwt, '--trust', join(bad, 'missing.json')])).err).toContain('trust list');
    expect((await cli(['verify', 'https://issuer.example/c/1', '--offline'])).code).toBe(2);
  });
});

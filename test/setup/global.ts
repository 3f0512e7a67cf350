/** vitest globalSetup: a private PostgreSQL cluster on 127.0.0.1 for the test run, plus a scratch directory; both removed afterwards. */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test cluster's `microcred` database; '' when MICROCRED_SKIP_PG=1. */
    pgUrl: string;
    /** A directory removed after the run, for SQLite files and other per-test folders. */
    scratchDir: string;
  }
}

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** The newest Debian PostgreSQL, else whatever initdb is on PATH (non-Debian or self-built). */
function postgresBinDir(): string {
  const versions = existsSync(DEBIAN_PG_ROOT) ? readdirSync(DEBIAN_PG_ROOT).sort((a, b) => Number(b) - Number(a)) : [];
  const debian = versions.map((v) => join(DEBIAN_PG_ROOT, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
  if (debian) return debian;
  try {
    return dirname(execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error('PostgreSQL is not installed: run `node test/setup/prepare.mjs` (or set MICROCRED_SKIP_PG=1).');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'microcred-test-'));
  // mkdtemp makes the directory 0700; the postgres user must be able to pass through it.
  chmodSync(scratchDir, 0o711);
  const removeScratch = () => rmSync(scratchDir, { recursive: true, force: true });
  project.provide('scratchDir', scratchDir);

  if (process.env.MICROCRED_SKIP_PG === '1') {
    console.warn('\n!! MICROCRED_SKIP_PG=1: PostgreSQL store tests are SKIPPED.\n');
    project.provide('pgUrl', '');
    return removeScratch;
  }

  const bin = postgresBinDir();
  const clusterDir = join(scratchDir, 'pg');
  const dataDir = join(clusterDir, 'data');
  const logFile = join(clusterDir, 'server.log');
  mkdirSync(clusterDir);
  // initdb and postgres refuse to run as root, so as root the cluster belongs to `postgres`.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    chownSync(clusterDir, ids('-u'), ids('-g'));
  }
  const pgTool = (tool: string, args: string[]) => {
    const program = join(bin, tool);
    // cwd inside the cluster dir: the postgres user may not be allowed to read the repository.
    const options = { cwd: clusterDir, stdio: 'pipe' } as const;
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', program, ...args], options);
    else execFileSync(program, args, options);
  };

  const port = await freePort();
  // Durability settings off: a test cluster is thrown away, and fsync dominates its run time.
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${clusterDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  try {
    // Trust auth: only local processes can reach this cluster, and it holds throwaway data only.
    pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    pgTool('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOptions]);
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no server log)';
    removeScratch();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
  }

  const stop = () => {
    try {
      pgTool('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate']);
    } finally {
      removeScratch();
    }
  };
  try {
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE microcred');
    await admin.end();
  } catch (error) {
    stop();
    throw error;
  }
  project.provide('pgUrl', `postgres://postgres@127.0.0.1:${port}/microcred`);
  return stop;
}

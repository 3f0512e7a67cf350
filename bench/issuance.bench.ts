/**
 * Issuance throughput: credentials awarded per second for a cohort of 10,000 learners, from AGS
 * results to stored signed credentials (decideAwards: pass rule, award rows, status-list indexes,
 * OB 3.0 build, VC-JWT signing, one transaction per batch), on SQLite and PostgreSQL. The peer
 * in the same run is the same engine awarding one learner per call (one transaction each), as a
 * per-grade webhook would. Target: at least 2,000 credentials per second on SQLite.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awardCredential } from '../lti-tool/src/issuance/award-engine.ts';
import { decideAwards } from '../lti-tool/src/issuance/decide-awards.ts';
import { saveDefinition } from '../lti-tool/src/issuance/definitions.ts';
import { openRuntime, type Runtime } from '../lti-tool/src/runtime.ts';
import { withBenchPostgres } from './bench-postgres.ts';

const COHORT = Number(process.env.BENCH_COHORT ?? '10000');
const PEER_COHORT = Math.min(COHORT, 1000);
const definition = JSON.parse(readFileSync(new URL('../examples/definition.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const binding = { platformId: 'https://lms.example|bench', deploymentId: '1', contextId: 'course' };

async function openBenchRuntime(databaseUrl: string | undefined): Promise<{ runtime: Runtime; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'microcred-bench-'));
  const runtime = await openRuntime({
    PUBLIC_URL: 'https://credentials.example.eu',
    DATA_DIR: dir,
    MICROCRED_KEY_SECRET: 'bench-secret-that-is-long-enough-for-hkdf-0123456789',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  await runtime.keys.activeSigningKey();
  return { runtime, dir };
}

async function define(runtime: Runtime): Promise<string> {
  const { id: _id, ...body } = definition;
  const saved = await saveDefinition(runtime.store.definitions, { definition: body, passRule: { kind: 'min-score', minScore: 60, scoreMaximum: 100 }, binding, publish: true });
  if (!saved.ok) throw new Error(saved.problems.map((p) => p.message).join(' '));
  return saved.record.id;
}

async function measureStore(label: string, databaseUrl: () => Promise<string | undefined>): Promise<void> {
  const { runtime, dir } = await openBenchRuntime(await databaseUrl());
  try {
    const results = Array.from({ length: COHORT }, (_, i) => ({ userId: `learner-${i}`, resultScore: 60 + (i % 40), resultMaximum: 100 }));
    const identify = (userId: string) => ({ name: `Learner ${userId}`, email: `${userId}@example.org` });
    const definitionId = await define(runtime);
    let started = performance.now();
    const summary = await decideAwards(runtime.issuance, { definitionId, results, identify });
    const batchPerSecond = summary.awarded / ((performance.now() - started) / 1000);
    if (summary.awarded !== COHORT) throw new Error(`Expected ${COHORT} awards, got ${JSON.stringify(summary)}`);

    const peerDefinition = await define(runtime);
    started = performance.now();
    for (const result of results.slice(0, PEER_COHORT)) {
      const outcome = await awardCredential(runtime.issuance, { definitionId: peerDefinition, learner: { key: result.userId, ...identify(result.userId) }, result });
      if (!outcome.ok) throw new Error(outcome.message);
    }
    const singlePerSecond = PEER_COHORT / ((performance.now() - started) / 1000);
    started = performance.now();
    const replay = await decideAwards(runtime.issuance, { definitionId, results, identify });
    const replayPerSecond = replay.alreadyAwarded / ((performance.now() - started) / 1000);
    console.log(
      `${label.padEnd(10)} ${batchPerSecond.toFixed(0).padStart(10)} ${singlePerSecond.toFixed(0).padStart(12)} ${`${(batchPerSecond / singlePerSecond).toFixed(1)}x`.padStart(8)} ${replayPerSecond.toFixed(0).padStart(12)}`,
    );
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchIssuance(): Promise<void> {
  console.log(`\nIssuance: credentials awarded per second, cohort of ${COHORT} learners (AGS results → signed, stored credentials)`);
  console.log(`${'store'.padEnd(10)} ${'batched/s'.padStart(10)} ${'one-by-one/s'.padStart(12)} ${'ratio'.padStart(8)} ${'replay/s'.padStart(12)}`);
  await measureStore('SQLite', async () => undefined);
  await withBenchPostgres('bench_issuance', (url) => measureStore('PostgreSQL', async () => url));
  console.log(`  batched: decideAwards (batches of 250, one transaction each); one-by-one: awardCredential per learner (${PEER_COHORT} learners); replay: the same sync run again (nothing written)`);
}

/**
 * LTI launches: complete OIDC login + launch round trips (LMS page → tool login → platform
 * authorization → tool launch, session stored) per second, with p50/p99 latency, at 1, 50 and 200
 * concurrent launches against the simulated Moodle, on SQLite and PostgreSQL. The simulator runs
 * in this same process, so its work (an RS256 signature per id_token) is inside every figure.
 * The peer in the same run is the floor any tool could reach here: the same four loopback
 * round trips (LMS page, login, authorize, launch) through the same simulated browser, each to a
 * trivial endpoint (/health), with no LTI work at all.
 * Target (issue 3): p99 under 50 ms at 200 concurrent on SQLite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../lti-tool/src/http/create-app.ts';
import { openRuntime, type Runtime } from '../lti-tool/src/runtime.ts';
import { Browser, startPlatform, type SimPlatform } from '../test/platform-sim/start-platform.ts';
import { withBenchPostgres } from './bench-postgres.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? '2');
const LEVELS = [1, 50, 200];
const LEARNERS = 200;

interface Classroom {
  readonly sim: SimPlatform;
  readonly runtime: Runtime;
  readonly clientId: string;
  readonly courseId: string;
  readonly activityId: string;
  readonly learners: readonly string[];
  readonly toolUrl: string;
  close(): Promise<void>;
}

async function openClassroom(databaseUrl: string | undefined): Promise<Classroom> {
  const dir = mkdtempSync(join(tmpdir(), 'microcred-bench-lti-'));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const runtime = await openRuntime({
    PUBLIC_URL: baseUrl,
    DATA_DIR: dir,
    MICROCRED_KEY_SECRET: 'bench-secret-that-is-long-enough-for-hkdf-0123456789',
    MICROCRED_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  server.on('request', createApp(runtime));
  await runtime.lti.toolKeys.ensureKey();
  const sim = await startPlatform({ flavour: 'moodle' });
  const { clientId, deploymentId } = sim.registerToolManually({ loginUrl: `${baseUrl}/lti/login`, redirectUris: [`${baseUrl}/lti/launch`], jwksUrl: `${baseUrl}/lti/jwks.json`, targetLinkUri: `${baseUrl}/lti/launch` });
  await runtime.store.ltiPlatforms.upsert({ issuer: sim.issuer, clientId, name: 'Bench Moodle', authUrl: sim.urls.authorize, tokenUrl: sim.urls.token, jwksUrl: sim.urls.jwks, registeredBy: 'manual', deploymentIds: [deploymentId] });
  const course = sim.addCourse({ title: 'Bench course' });
  const learners = Array.from({ length: LEARNERS }, (_, i) => sim.addUser({ name: `Learner ${i}` }).id);
  for (const id of learners) sim.enrol(course.id, id, 'Learner');
  const activityId = sim.addActivity(course.id, { title: 'Quiz', clientId }).id;
  return {
    sim,
    runtime,
    clientId,
    courseId: course.id,
    activityId,
    learners,
    toolUrl: baseUrl,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await sim.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Closed loop: `concurrency` virtual browsers launching back to back for SECONDS; each launch checked. */
async function run(room: Classroom, concurrency: number, floor = false): Promise<{ perSecond: number; p50: number; p99: number; launches: number }> {
  const latencies: number[] = [];
  let next = 0;
  const browser = new Browser();
  const floorOnce = async () => {
    const started = performance.now();
    for (let i = 0; i < 4; i += 1) await browser.navigate(`${room.toolUrl}/health`, { follow: false });
    latencies.push(performance.now() - started);
  };
  const launchOnce = floor ? floorOnce : async () => {
    const userId = room.learners[next++ % room.learners.length]!;
    const started = performance.now();
    const page = await room.sim.launch({ clientId: room.clientId, userId, courseId: room.courseId, activityId: room.activityId });
    if (page.status !== 200 || !page.html.includes('data-session=')) throw new Error(`Launch failed: HTTP ${page.status} ${page.html.slice(0, 300)}`);
    latencies.push(performance.now() - started);
  };
  for (let i = 0; i < Math.min(concurrency, 20); i += 1) await launchOnce();
  latencies.length = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await launchOnce();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), launches: latencies.length };
}

async function measureStore(label: string, databaseUrl: string | undefined): Promise<void> {
  const room = await openClassroom(databaseUrl);
  try {
    for (const level of LEVELS) {
      const r = await run(room, level);
      const peer = await run(room, level, true);
      console.log(
        `${label.padEnd(10)} ${String(level).padStart(11)} ${r.perSecond.toFixed(0).padStart(10)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(9)} ${peer.perSecond.toFixed(0).padStart(9)} ${`${(r.perSecond / peer.perSecond).toFixed(2)}x`.padStart(7)}`,
      );
    }
  } finally {
    await room.close();
  }
}

export async function benchLtiLaunch(): Promise<void> {
  console.log('\nLTI 1.3 launches against the simulated Moodle (LMS page → login → authorize → launch → session), closed loop');
  console.log(`${'store'.padEnd(10)} ${'concurrent'.padStart(11)} ${'launches/s'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'floor/s'.padStart(9)} ${'ratio'.padStart(7)}`);
  await measureStore('SQLite', undefined);
  await withBenchPostgres('bench_lti', (url) => measureStore('PostgreSQL', url));
  console.log('  Simulator and tool share this process; every launch is checked to end on the tool page with a new session.');
  console.log('  floor: four plain loopback round trips (GET /health) through the same simulated browser per "launch". Target: p99 < 50 ms at 200 concurrent on SQLite.');
}

// Run alone: npx tsx bench/lti-launch.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await benchLtiLaunch();

/**
 * Issue 7: one watch cycle over 100 courses × 200 learners against the simulated Moodle (web
 * services) and Canvas (REST API), on SQLite: the scheduler tick reads every course's learners
 * and progress with bounded concurrency and awards the learners who completed (half of them) —
 * the first cycle issues 10,000 credentials, the second finds nothing new. The peer in the same
 * run is the floor: the same LMS requests sent with plain fetch at the same concurrency, with no
 * tool work at all. Target (issue 7): one cycle in under a minute.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../lti-tool/src/http/create-app.ts';
import { saveDefinition } from '../lti-tool/src/issuance/definitions.ts';
import { tick } from '../lti-tool/src/issuance/sync-scheduler.ts';
import { mapLimit } from '../lti-tool/src/lms/lms-http.ts';
import { WATCH_CONCURRENCY } from '../lti-tool/src/lms/lms-watch.ts';
import { openRuntime, type Runtime } from '../lti-tool/src/runtime.ts';
import { startPlatform, type SimPlatform } from '../test/platform-sim/start-platform.ts';

const COURSES = Number(process.env.BENCH_LMS_COURSES ?? '100');
const LEARNERS = Number(process.env.BENCH_LMS_LEARNERS ?? '200');
/** Requests per course in flight (the sources' default) × courses at once (the watcher's pool). */
const SOURCE_CONCURRENCY = 8;

type Flavour = 'moodle' | 'canvas';

const EXAMPLE_DEFINITION = JSON.parse(readFileSync(new URL('../examples/definition.json', import.meta.url), 'utf8')) as Record<string, unknown>;

interface Room {
  readonly runtime: Runtime;
  readonly sim: SimPlatform;
  /** The floor: the cycle's LMS requests with plain fetch. */
  floor(): Promise<number>;
  close(): Promise<void>;
}

async function openRoom(flavour: Flavour): Promise<Room> {
  const dir = mkdtempSync(join(tmpdir(), 'microcred-bench-lms-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const runtime = await openRuntime({ PUBLIC_URL: baseUrl, DATA_DIR: dir, MICROCRED_KEY_SECRET: 'bench-secret-that-is-long-enough-for-hkdf-0123456789', MICROCRED_ADMIN_TOKEN: 'bench-admin-token-0123456789' });
  server.on('request', createApp(runtime));
  const sim = await startPlatform({ flavour });
  const { clientId, deploymentId } = sim.registerToolManually({ loginUrl: `${baseUrl}/lti/login`, redirectUris: [`${baseUrl}/lti/launch`], jwksUrl: `${baseUrl}/lti/jwks.json`, targetLinkUri: `${baseUrl}/lti/launch` });
  const platform = await runtime.store.ltiPlatforms.upsert({ issuer: sim.issuer, clientId, name: `Bench ${flavour}`, authUrl: sim.urls.authorize, tokenUrl: sim.urls.token, jwksUrl: sim.urls.jwks, registeredBy: 'manual', deploymentIds: [deploymentId] });
  const admin = sim.addUser({ name: 'Ada Admin' });
  const token = flavour === 'moodle' ? sim.moodle!.issueToken() : (sim.canvas!.addAccountAdmin(admin.id), sim.canvas!.issueToken(admin.id));
  const check = await runtime.lms.saveToken({ platformId: platform.id, kind: flavour, baseUrl: sim.baseUrl, token });
  if (!check.ok) throw new Error(`The bench LMS connection failed: ${check.message}`);

  const floorCalls: { courseId: string; learners: string[] }[] = [];
  const links: { lmsUserId: string; ltiUserId: string }[] = [];
  for (let c = 0; c < COURSES; c += 1) {
    const course = sim.addCourse({ title: `Course ${c}` });
    const learners: string[] = [];
    let criterion: Record<string, unknown>;
    if (flavour === 'moodle') {
      const quiz = sim.moodle!.addModule(course.id, { name: 'Quiz' });
      const essay = sim.moodle!.addModule(course.id, { name: 'Essay', modname: 'assign' });
      criterion = { kind: 'activities-complete', activityIds: [quiz.cmid, essay.cmid] };
      for (let l = 0; l < LEARNERS; l += 1) {
        const user = sim.addUser({ name: `Learner ${c}-${l}` });
        sim.enrol(course.id, user.id, 'Learner');
        learners.push(user.id);
        if (l % 2 === 0) for (const cmid of [quiz.cmid, essay.cmid]) sim.moodle!.setCompletion(cmid, user.id, 1);
      }
    } else {
      const week = sim.canvas!.addModule(course.id, { name: 'Week 1', items: [{ title: 'Read', requirement: { type: 'must_view' } }, { title: 'Reflect', requirement: { type: 'must_mark_done' } }] });
      criterion = { kind: 'modules-complete', moduleIds: [week.id] };
      for (let l = 0; l < LEARNERS; l += 1) {
        const user = sim.addUser({ name: `Learner ${c}-${l}` });
        sim.enrol(course.id, user.id, 'Learner');
        learners.push(user.id);
        // Canvas ids are not LTI ids: these links are what the learners' launches (or NRPS with rlid) teach the tool.
        links.push({ lmsUserId: user.id, ltiUserId: user.ltiId });
        if (l % 2 === 0) for (const item of week.items) sim.canvas!.completeRequirement(item.id, user.id);
      }
    }
    floorCalls.push({ courseId: course.id, learners });
    const saved = await saveDefinition(runtime.store.definitions, {
      definition: { ...EXAMPLE_DEFINITION, title: { en: `Course ${c} micro-credential` } },
      passRule: { kind: 'lms', source: flavour, courseId: course.id, criterion },
      binding: { platformId: platform.id, deploymentId, contextId: course.contextId },
      publish: true,
    });
    if (!saved.ok) throw new Error(`Bench definition refused: ${JSON.stringify(saved.problems)}`);
  }
  if (links.length > 0) await runtime.store.lmsUserLinks.record(platform.id, links, Date.now());

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    await response.json();
  };
  const ws = (fn: string, args: string) => get(`${sim.baseUrl}/webservice/rest/server.php?wstoken=${token}&moodlewsrestformat=json&wsfunction=${fn}&${args}`);
  const canvas = (path: string) => get(`${sim.baseUrl}/api/v1${path}`, { authorization: `Bearer ${token}` });
  const floorCourse = async ({ courseId, learners }: { courseId: string; learners: string[] }) => {
    if (flavour === 'moodle') await ws('core_enrol_get_enrolled_users', `courseid=${courseId}&options[0][name]=limitfrom&options[0][value]=0&options[1][name]=limitnumber&options[1][value]=500`);
    else for (let page = 1; page <= Math.ceil(learners.length / 100); page += 1) await canvas(`/courses/${courseId}/users?enrollment_type[]=student&include[]=email&per_page=100&page=${page}`);
    await mapLimit(learners, SOURCE_CONCURRENCY, (userId) =>
      flavour === 'moodle' ? ws('core_completion_get_activities_completion_status', `courseid=${courseId}&userid=${userId}`) : canvas(`/courses/${courseId}/modules?student_id=${userId}&include[]=items&per_page=100`),
    );
  };
  return {
    runtime,
    sim,
    async floor() {
      const started = performance.now();
      await mapLimit(floorCalls, WATCH_CONCURRENCY, floorCourse);
      return (performance.now() - started) / 1000;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function cycle(room: Room): Promise<{ seconds: number; awarded: number; failed: number }> {
  const started = performance.now();
  const summary = await tick(room.runtime.sync.issuance, { owner: 'bench', now: () => new Date(), readCohort: room.runtime.sync.readCohort, lmsWatch: room.runtime.sync.lmsWatch, maxJobs: 0 });
  const seconds = (performance.now() - started) / 1000;
  let awarded = 0;
  let failed = 0;
  for (const run of summary.lmsRuns ?? []) {
    if (run.state === 'done') for (const counts of run.summary.perDefinition.values()) awarded += counts.awarded;
    else if (run.state !== 'idle') failed += 1;
  }
  return { seconds, awarded, failed };
}

export async function benchLmsWatch(): Promise<void> {
  console.log(`\nLMS completion watch: one scheduler cycle over ${COURSES} courses × ${LEARNERS} learners (half completed), SQLite`);
  console.log(`${'LMS'.padEnd(8)} ${'cycle'.padEnd(22)} ${'seconds'.padStart(8)} ${'awarded'.padStart(8)} ${'floor s'.padStart(8)} ${'ratio'.padStart(7)}`);
  for (const flavour of ['moodle', 'canvas'] as const) {
    const room = await openRoom(flavour);
    try {
      const floor = await room.floor();
      for (const label of ['first (awards)', 'second (nothing new)']) {
        const r = await cycle(room);
        if (r.failed > 0) throw new Error(`${r.failed} watch jobs failed in the bench.`);
        console.log(`${flavour.padEnd(8)} ${label.padEnd(22)} ${r.seconds.toFixed(1).padStart(8)} ${String(r.awarded).padStart(8)} ${floor.toFixed(1).padStart(8)} ${`${(r.seconds / floor).toFixed(1)}x`.padStart(7)}`);
      }
    } finally {
      await room.close();
    }
  }
  console.log(`  floor: the same LMS reads (learner list + one progress request per learner) with plain fetch, ${WATCH_CONCURRENCY} courses × ${SOURCE_CONCURRENCY} requests at once, no tool work. Target: a cycle under 60 s.`);
}

// Run alone: npx tsx bench/lms-watch.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await benchLmsWatch();

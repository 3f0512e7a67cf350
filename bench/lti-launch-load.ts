/**
 * The LMS side of the LTI launch benchmark, run in a worker thread (lti-launch.bench.ts starts it):
 * the simulated Moodle and the load generator (its Browser driving launches, closed loop). Kept
 * off the tool's thread so the tool's event loop is not also signing id_tokens and parsing the
 * simulator's pages; every figure the tool's side reports is then the tool's own work plus the
 * loopback round trips.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Browser, startPlatform } from '../test/platform-sim/start-platform.ts';
import { threadCpuMs } from './thread-cpu.ts';

export interface LoadSetup {
  /** The tool's base URL (its /lti/login, /lti/launch, /lti/jwks.json and /health live under it). */
  readonly toolUrl: string;
  readonly learners: number;
}

/** What the tool needs to register the simulated Moodle. */
export interface LoadReady {
  readonly kind: 'ready';
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
}

export type LoadCommand = { readonly kind: 'run'; readonly concurrency: number; readonly floor: boolean; readonly seconds: number } | { readonly kind: 'close' };

export interface LoadResult {
  readonly kind: 'result';
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly launches: number;
  /** This thread's CPU use during the run (1 = one core): near 1, the simulator and browsers are the limit. */
  readonly cpuShare: number | undefined;
}

/** `started`: the warm-up is over and the measured window begins; `result` follows. */
export type LoadReply = LoadReady | LoadResult | { readonly kind: 'started' } | { readonly kind: 'error'; readonly message: string } | { readonly kind: 'closed' };

const port = parentPort;
if (!port) throw new Error('lti-launch-load.ts runs as a worker thread of lti-launch.bench.ts.');
const setup = workerData as LoadSetup;

const sim = await startPlatform({ flavour: 'moodle' });
const { toolUrl } = setup;
const { clientId, deploymentId } = sim.registerToolManually({ loginUrl: `${toolUrl}/lti/login`, redirectUris: [`${toolUrl}/lti/launch`], jwksUrl: `${toolUrl}/lti/jwks.json`, targetLinkUri: `${toolUrl}/lti/launch` });
const course = sim.addCourse({ title: 'Bench course' });
const learners = Array.from({ length: setup.learners }, (_, i) => sim.addUser({ name: `Learner ${i}` }).id);
for (const id of learners) sim.enrol(course.id, id, 'Learner');
const activityId = sim.addActivity(course.id, { title: 'Quiz', clientId }).id;

/**
 * Closed loop: `concurrency` virtual browsers launching back to back for `seconds`. A launch counts
 * only when it ends on the tool's page with a new session (a fresh Browser per launch, as the sim
 * makes one, so no cookie is reused). The floor does the same four loopback round trips in the
 * same order (LMS, tool, LMS, tool) to trivial endpoints: the simulator's JWKS and the tool's /health.
 */
async function run(concurrency: number, floor: boolean, seconds: number, onStarted: () => void): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const browser = new Browser();
  const floorOnce = async () => {
    const started = performance.now();
    for (const url of [sim.urls.jwks, `${toolUrl}/health`, sim.urls.jwks, `${toolUrl}/health`]) {
      const page = await browser.navigate(url, { follow: false });
      if (page.status !== 200) throw new Error(`Floor request failed: HTTP ${page.status} at ${url}`);
    }
    latencies.push(performance.now() - started);
  };
  const launchOnce = async () => {
    const userId = learners[next++ % learners.length]!;
    const started = performance.now();
    const page = await sim.launch({ clientId, userId, courseId: course.id, activityId });
    if (page.status !== 200 || !page.html.includes('data-session=')) throw new Error(`Launch failed: HTTP ${page.status} ${page.html.slice(0, 300)}`);
    latencies.push(performance.now() - started);
  };
  const once = floor ? floorOnce : launchOnce;
  for (let i = 0; i < Math.min(concurrency, 20); i += 1) await once();
  latencies.length = 0;
  onStarted();
  const cpuBefore = threadCpuMs();
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = threadCpuMs();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { kind: 'result', perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), launches: latencies.length, cpuShare: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1000 / elapsed };
}

port.on('message', (command: LoadCommand) => {
  const reply = (message: LoadReply) => port.postMessage(message);
  if (command.kind === 'close') {
    void sim.close().then(() => {
      reply({ kind: 'closed' });
      port.close();
    });
    return;
  }
  run(command.concurrency, command.floor, command.seconds, () => reply({ kind: 'started' })).then(reply, (error: unknown) => reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
});
port.postMessage({ kind: 'ready', issuer: sim.issuer, clientId, deploymentId, authUrl: sim.urls.authorize, tokenUrl: sim.urls.token, jwksUrl: sim.urls.jwks } satisfies LoadReady);

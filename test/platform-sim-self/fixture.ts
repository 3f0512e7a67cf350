/** A simulator with the mini tool registered manually, one course, a teacher, a learner and one graded activity. */
import { startPlatform, type SimActivity, type SimCourse, type SimPlatform, type SimUser } from '../platform-sim/index.ts';
import { startMiniTool, type MiniTool } from './mini-tool.ts';

export interface Fixture {
  readonly sim: SimPlatform;
  readonly tool: MiniTool;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly course: SimCourse;
  readonly teacher: SimUser;
  readonly learner: SimUser;
  readonly activity: SimActivity;
  /** Move the injected clock forward. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export const START = Date.parse('2026-03-02T10:00:00Z');

export async function fixture(flavour: 'moodle' | 'canvas', options: { scopes?: string[]; claims?: string[]; legacyMoodleAuth?: boolean } = {}): Promise<Fixture> {
  let now = START;
  const sim = await startPlatform({ flavour, now: () => now, legacyMoodleAuth: options.legacyMoodleAuth ?? false });
  const tool = await startMiniTool({ now: () => now });
  const { clientId, deploymentId } = sim.registerToolManually({
    loginUrl: tool.urls.login,
    redirectUris: [tool.urls.launch],
    jwksUrl: tool.urls.jwks,
    targetLinkUri: tool.urls.launch,
    deepLinkUrl: tool.urls.launch,
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.claims ? { claims: options.claims } : {}),
  });
  tool.platform = { issuer: sim.issuer, authorize: sim.urls.authorize, jwks: sim.urls.jwks, token: sim.urls.token, clientId };
  const course = sim.addCourse({ title: 'Data Literacy 101', label: 'DL101' });
  const teacher = sim.addUser({ name: 'Tina Teacher' });
  const learner = sim.addUser({ name: 'Maria Schneider', email: 'maria@example.edu' });
  sim.enrol(course.id, teacher.id, 'Instructor');
  sim.enrol(course.id, learner.id, 'Learner');
  const activity = sim.addActivity(course.id, { title: 'Final quiz', clientId, custom: { badge: 'dl-1', uid: flavour === 'canvas' ? '$Canvas.user.id' : '$User.id', other: '$Unknown.variable' }, lineItem: { scoreMaximum: 100, label: 'Final quiz' } });
  return {
    sim,
    tool,
    clientId,
    deploymentId,
    course,
    teacher,
    learner,
    activity,
    advance(seconds) {
      now += seconds * 1000;
    },
    async close() {
      await sim.close();
      await tool.close();
    },
  };
}

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Ask the simulator's token endpoint for an access token with an assertion signed by the mini tool. */
export async function requestToken(f: Fixture, scope: string, claims: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const assertion = await f.tool.signAssertion({ iss: f.clientId, sub: f.clientId, jti: crypto.randomUUID(), ...claims }, f.sim.urls.token);
  return postToken(f, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope });
}

export async function postToken(f: Fixture, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(f.sim.urls.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function accessToken(f: Fixture, scope: string): Promise<string> {
  const { status, body } = await requestToken(f, scope);
  if (status !== 200) throw new Error(`token endpoint answered ${status}: ${JSON.stringify(body)}`);
  return String(body.access_token);
}

/** Helpers for full flows against the simulated LMS: registration, enrolments, and playing the tool's served scripts where the sim browser runs none. */
import { Browser, startPlatform, type BrowserPage, type Flavour, type SimPlatform } from '../../platform-sim/start-platform.ts';
import type { StoreKind } from '../../setup/databases.ts';
import { startToolServer, type ToolServer } from '../cli/tool-server.ts';
import type { AppDeps } from '../../../lti-tool/src/http/create-app.ts';
import type { Runtime } from '../../../lti-tool/src/runtime.ts';

export interface Classroom {
  readonly sim: SimPlatform;
  readonly tool: ToolServer;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly courseId: string;
  readonly teacherId: string;
  readonly learnerIds: readonly string[];
  close(): Promise<void>;
}

/** A simulated LMS with the tool registered by Dynamic Registration (and activated), one course, a teacher and two learners. */
export async function startClassroom(flavour: Flavour, kind: StoreKind, options: { legacyMoodleAuth?: boolean; appDeps?: (runtime: Runtime) => AppDeps } = {}): Promise<Classroom & { registration: Awaited<ReturnType<SimPlatform['dynamicRegister']>> }> {
  const { appDeps, ...platformOptions } = options;
  const sim = await startPlatform({ flavour, ...platformOptions });
  const tool = await startToolServer(kind, appDeps ? { appDeps } : {});
  const registration = await sim.dynamicRegister(`${tool.baseUrl}/lti/register`);
  sim.activateTool(registration.clientId);
  const course = sim.addCourse({ title: 'Data Literacy for Public Administration', label: 'DL-101' });
  const teacher = sim.addUser({ name: 'Tess Teacher', email: 'tess@example.edu' });
  const learners = [sim.addUser({ name: 'Maria Schneider', email: 'maria@example.edu' }), sim.addUser({ name: 'Jan Novak', email: 'jan@example.edu' })];
  sim.enrol(course.id, teacher.id, 'Instructor');
  for (const learner of learners) sim.enrol(course.id, learner.id, 'Learner');
  return {
    sim,
    tool,
    registration,
    clientId: registration.clientId,
    deploymentId: registration.deploymentId,
    courseId: course.id,
    teacherId: teacher.id,
    learnerIds: learners.map((l) => l.id),
    async close() {
      await tool.close();
      await sim.close();
    },
  };
}

export const sessionIdOf = (page: BrowserPage) => /data-session="([^"]+)"/.exec(page.html)?.[1];
export const errorCodeOfPage = (page: BrowserPage) => /data-error-code="([A-Z_]+)"/.exec(page.html)?.[1];

const attr = (html: string, name: string) => /<section id="lti-storage"([^>]*)>/.exec(html)?.[1]?.match(new RegExp(`${name}="([^"]*)"`))?.[1]?.replaceAll('&amp;', '&');

/**
 * Plays lti-storage.js for the sim browser (which runs no script): put mode stores state and nonce
 * in platform storage and follows the redirect; get mode reads them back and re-posts the launch.
 */
export async function playStorageScript(sim: SimPlatform, page: BrowserPage, browser: Browser): Promise<BrowserPage> {
  const mode = attr(page.html, 'data-mode');
  const target = attr(page.html, 'data-target')!;
  const origin = attr(page.html, 'data-origin')!;
  const state = attr(page.html, 'data-state')!;
  const toolOrigin = new URL(page.url).origin;
  let id = 0;
  const send = (message: Record<string, unknown>) => {
    const reply = sim.platformStorage.postMessage({ ...message, message_id: `m${id++}` }, { origin: toolOrigin, targetOrigin: origin, frame: target });
    if (!reply || reply.error) throw new Error(`platform storage refused ${JSON.stringify(message)}: ${JSON.stringify(reply)}`);
    return reply;
  };
  if (mode === 'put') {
    const nonce = attr(page.html, 'data-nonce')!;
    send({ subject: 'lti.put_data', key: `state_${state}`, value: state });
    send({ subject: 'lti.put_data', key: `nonce_${nonce}`, value: nonce });
    return browser.navigate(attr(page.html, 'data-redirect')!, { initiator: toolOrigin, ...(page.embeddedIn ? { embeddedIn: page.embeddedIn } : {}) });
  }
  const form = page.forms.find((f) => f.action.endsWith('/lti/launch'))!;
  const idToken = form.entries.find(([name]) => name === 'id_token')![1];
  const nonce = (JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { nonce: string }).nonce;
  const storedState = send({ subject: 'lti.get_data', key: `state_${state}` }).value as string;
  const storedNonce = send({ subject: 'lti.get_data', key: `nonce_${nonce}` }).value as string;
  // The script posts by fetch with its own header and then navigates to the page the tool names.
  const fields = form.entries.filter(([name]) => name !== 'storage_state' && name !== 'storage_nonce').concat([['storage_state', storedState], ['storage_nonce', storedNonce]]);
  const frame = page.embeddedIn ? { embeddedIn: page.embeddedIn } : {};
  const answer = await browser.navigate(form.action, { method: 'POST', form: fields, headers: { 'x-microcred-storage-check': '1' }, initiator: toolOrigin, follow: false, ...frame });
  if (!answer.headers.get('content-type')?.startsWith('application/json')) return answer;
  const { next } = JSON.parse(answer.html) as { next: string };
  return browser.navigate(new URL(next, form.action).toString(), { initiator: toolOrigin, ...frame });
}

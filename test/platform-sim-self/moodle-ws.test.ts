/** The simulated Moodle REST web services answer as webservice/rest/server.php does (raw HTTP, no tool code). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPlatform, type MoodleSim, type SimCourse, type SimPlatform, type SimUser } from '../platform-sim/index.ts';

let sim: SimPlatform;
let moodle: MoodleSim;
let course: SimCourse;
let learner: SimUser;
let token: string;

async function ws(fields: Record<string, string>, options: { method?: 'GET' | 'POST'; json?: boolean } = {}): Promise<{ status: number; type: string; body: string }> {
  const params = new URLSearchParams({ ...(options.json === false ? {} : { moodlewsrestformat: 'json' }), ...fields });
  const response =
    options.method === 'GET'
      ? await fetch(`${moodle.restUrl}?${params}`)
      : await fetch(moodle.restUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

beforeAll(async () => {
  sim = await startPlatform({ flavour: 'moodle' });
  moodle = sim.moodle!;
  course = sim.addCourse({ title: 'Data Literacy 101' });
  learner = sim.addUser({ name: 'Maria Schneider' });
  sim.enrol(course.id, learner.id, 'Learner');
  token = moodle.issueToken();
});

afterAll(async () => {
  await sim.close();
});

describe('Moodle REST server errors (HTTP 200 with the exception)', () => {
  test('when the token is unknown, then invalidtoken exactly as Moodle words it', async () => {
    const answer = await ws({ wstoken: 'nope', wsfunction: 'core_webservice_get_site_info' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ exception: 'moodle_exception', errorcode: 'invalidtoken', message: 'Invalid token - token not found' });
  });

  test('when the function is outside the token service, then webservice_access_exception', async () => {
    const limited = moodle.issueToken({ functions: ['core_webservice_get_site_info'] });
    expect(JSON.parse((await ws({ wstoken: limited, wsfunction: 'core_course_get_contents', courseid: course.id })).body)).toEqual({ exception: 'webservice_access_exception', errorcode: 'accessexception', message: 'Access control exception' });
  });

  test('when a capability is missing, then required_capability_exception naming it', async () => {
    const limited = moodle.issueToken({ capabilities: ['webservice/rest:use', 'moodle/course:view'] });
    expect(JSON.parse((await ws({ wstoken: limited, wsfunction: 'gradereport_user_get_grade_items', courseid: course.id })).body)).toEqual({
      exception: 'required_capability_exception',
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (View your own grade report).',
    });
  });

  test('when a parameter is missing or not an integer, then invalid_parameter_exception', async () => {
    expect(JSON.parse((await ws({ wstoken: token, wsfunction: 'core_course_get_contents', courseid: 'abc' })).body)).toMatchObject({ exception: 'invalid_parameter_exception', errorcode: 'invalidparameter' });
  });

  test('when the course has no completion criteria, then nocriteriaset', async () => {
    expect(JSON.parse((await ws({ wstoken: token, wsfunction: 'core_completion_get_course_completion_status', courseid: course.id, userid: learner.id })).body)).toMatchObject({ errorcode: 'nocriteriaset', message: 'No completion criteria set for this course' });
  });

  test('when no JSON format is asked, then the default XML format', async () => {
    const answer = await ws({ wstoken: 'nope', wsfunction: 'core_webservice_get_site_info' }, { json: false });
    expect(answer.type).toContain('application/xml');
    expect(answer.body).toContain('<EXCEPTION class="moodle_exception">');
    expect(answer.body).toContain('<ERRORCODE>invalidtoken</ERRORCODE>');
  });

  test('when failNext is set, then that many requests get the HTTP status, then service resumes', async () => {
    moodle.failNext(1, 502);
    expect((await ws({ wstoken: token, wsfunction: 'core_webservice_get_site_info' })).status).toBe(502);
    expect((await ws({ wstoken: token, wsfunction: 'core_webservice_get_site_info' })).status).toBe(200);
  });
});

describe('functions', () => {
  test('get_site_info lists exactly the functions of the token service', async () => {
    const limited = moodle.issueToken({ functions: ['core_webservice_get_site_info', 'core_course_get_contents'] });
    const info = JSON.parse((await ws({ wstoken: limited, wsfunction: 'core_webservice_get_site_info' }, { method: 'GET' })).body) as { functions: { name: string }[]; sitename: string };
    expect(info.functions.map((f) => f.name)).toEqual(['core_webservice_get_site_info', 'core_course_get_contents']);
    expect(info.sitename).toBe(moodle.siteName);
  });

  test('PHP array options (GET query) page the enrolled users', async () => {
    const other = sim.addUser({ name: 'Ali Khan' });
    sim.enrol(course.id, other.id, 'Instructor');
    const page = (from: number) =>
      ws({ wstoken: token, wsfunction: 'core_enrol_get_enrolled_users', courseid: course.id, 'options[0][name]': 'limitfrom', 'options[0][value]': String(from), 'options[1][name]': 'limitnumber', 'options[1][value]': '1' }, { method: 'GET' }).then(
        (a) => JSON.parse(a.body) as { id: number; roles: { shortname: string }[] }[],
      );
    const [first, second, third] = [await page(0), await page(1), await page(2)];
    expect(first.map((u) => [u.id, u.roles[0]!.shortname])).toEqual([[Number(learner.id), 'student']]);
    expect(second.map((u) => [u.id, u.roles[0]!.shortname])).toEqual([[Number(other.id), 'editingteacher']]);
    expect(third).toEqual([]);
  });

  test('activity completion lists tracked modules with their state; LTI activities are lti course modules', async () => {
    const { cmid } = moodle.addModule(course.id, { name: 'Quiz 1', completion: 2 });
    moodle.setCompletion(cmid, learner.id, 3);
    const status = JSON.parse((await ws({ wstoken: token, wsfunction: 'core_completion_get_activities_completion_status', courseid: course.id, userid: learner.id })).body) as { statuses: { cmid: number; state: number; tracking: number }[] };
    expect(status.statuses).toEqual([expect.objectContaining({ cmid: Number(cmid), state: 3, tracking: 2, modname: 'quiz' })]);
    const { clientId } = sim.registerToolManually({ loginUrl: 'http://127.0.0.1:1/l', redirectUris: ['http://127.0.0.1:1/r'], jwksUrl: 'http://127.0.0.1:1/j', targetLinkUri: 'http://127.0.0.1:1/r' });
    const activity = sim.addActivity(course.id, { title: 'Badge quest', clientId });
    const sections = JSON.parse((await ws({ wstoken: token, wsfunction: 'core_course_get_contents', courseid: course.id })).body) as { modules: { id: number; modname: string; name: string }[] }[];
    expect(sections[0]!.modules.map((m) => [m.id, m.modname, m.name])).toEqual([
      [Number(cmid), 'quiz', 'Quiz 1'],
      [Number(moodle.moduleOf(activity.id).cmid), 'lti', 'Badge quest'],
    ]);
  });
});

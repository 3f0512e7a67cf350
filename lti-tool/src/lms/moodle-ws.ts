/**
 * One call to a Moodle web-service function over the REST protocol
 * (`POST <site>/webservice/rest/server.php`, form-encoded, `moodlewsrestformat=json`), with the
 * arguments encoded the way PHP rebuilds arrays (`options[0][name]=limitfrom`). Moodle answers its
 * exceptions with HTTP 200 and `{exception, errorcode, message}`; those become LmsErrors here,
 * except the error codes a caller says it handles itself (returned as a failure, not thrown).
 */
import type { HttpAnswer } from '../lti/platform-http.ts';
import { lmsRequest, retryAfterMs } from './lms-http.ts';
import { LmsError, type LmsHttpOptions } from './lms-source.ts';

export type MoodleArg = string | number | boolean | readonly MoodleArg[] | { readonly [key: string]: MoodleArg };

export type MoodleAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly errorcode: string; readonly message: string };

export interface MoodleWs {
  /** The function's answer; any Moodle exception is thrown as an LmsError. */
  call(wsfunction: string, args?: Record<string, MoodleArg>): Promise<unknown>;
  /** Like call, but the Moodle error codes in `handled` come back as a failure for the caller to judge. */
  tryCall(wsfunction: string, args: Record<string, MoodleArg>, handled: readonly string[]): Promise<MoodleAnswer>;
}

/** PHP's view of nested arrays in a form: `a[0][b]=c`. */
export function encodeMoodleArgs(args: Record<string, MoodleArg>): [string, string][] {
  const pairs: [string, string][] = [];
  const walk = (name: string, value: MoodleArg) => {
    if (typeof value === 'boolean') pairs.push([name, value ? '1' : '0']);
    else if (typeof value === 'string' || typeof value === 'number') pairs.push([name, String(value)]);
    else for (const [key, inner] of Object.entries(value)) walk(`${name}[${key}]`, inner);
  };
  for (const [name, value] of Object.entries(args)) walk(name, value);
  return pairs;
}

export function createMoodleWs(siteUrl: string, token: string, http: LmsHttpOptions): MoodleWs {
  const url = `${siteUrl.replace(/\/+$/, '')}/webservice/rest/server.php`;
  const send = (wsfunction: string, args: Record<string, MoodleArg>, handled: readonly string[]) => {
    const body = new URLSearchParams([['wstoken', token], ['wsfunction', wsfunction], ['moodlewsrestformat', 'json'], ...encodeMoodleArgs(args)]);
    return lmsRequest(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() }, http, (answer) => classify(answer, wsfunction, handled));
  };
  return {
    async call(wsfunction, args = {}) {
      const answer = await send(wsfunction, args, []);
      return (answer as { ok: true; value: unknown }).value;
    },
    tryCall: send,
  };
}

function classify(answer: HttpAnswer, wsfunction: string, handled: readonly string[]): MoodleAnswer {
  if (answer.status === 429) throw new LmsError('LMS_RATE_LIMITED', `Moodle asked to slow down (HTTP 429) on ${wsfunction}.`, { status: 429, ...retryHint(answer) });
  if (answer.status >= 500) throw new LmsError('LMS_UNREACHABLE', `Moodle answered HTTP ${answer.status} to ${wsfunction}; it may be down or restarting.`, { status: answer.status, ...retryHint(answer) });
  if (answer.status === 404) throw new LmsError('LMS_BAD_RESPONSE', 'There is no Moodle web-service endpoint at this address (HTTP 404): check the site URL (the address of the Moodle front page).', { status: 404 });
  if (answer.status !== 200) throw new LmsError('LMS_BAD_RESPONSE', `Moodle answered HTTP ${answer.status} to ${wsfunction}.`, { status: answer.status });
  if (answer.json === undefined) {
    throw new LmsError('LMS_BAD_RESPONSE', `Moodle's answer to ${wsfunction} is not JSON: check the site URL and that the REST protocol is enabled (Site administration → Server → Web services → Manage protocols).`);
  }
  const error = moodleError(answer.json);
  if (!error) return { ok: true, value: answer.json };
  if (handled.includes(error.errorcode)) return { ok: false, ...error };
  throw toLmsError(error, wsfunction);
}

function retryHint(answer: HttpAnswer): { retryAfterMs?: number } {
  const ms = retryAfterMs(answer.headers);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

function moodleError(json: unknown): { errorcode: string; message: string } | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const { exception, errorcode, message } = json as Record<string, unknown>;
  if (typeof exception !== 'string' || typeof errorcode !== 'string') return undefined;
  return { errorcode, message: typeof message === 'string' ? message.slice(0, 500) : errorcode };
}

function toLmsError(error: { errorcode: string; message: string }, wsfunction: string): LmsError {
  switch (error.errorcode) {
    case 'invalidtoken':
    case 'invalidtimedtoken':
    case 'invalidiptoken':
      return new LmsError('LMS_TOKEN_INVALID', `Moodle does not accept the token: ${error.message}. Create a new token for the web-service user and save it again.`);
    case 'accessexception':
      return new LmsError('LMS_FUNCTION_NOT_ALLOWED', `Moodle refused ${wsfunction} ("${error.message}"): add it to the token's external service, and check the token's user has webservice/rest:use.`, { missing: [wsfunction] });
    case 'nopermissions':
    case 'requireloginerror':
    case 'nopermissiontoviewgrades':
    case 'accessdenied':
      return new LmsError('LMS_NO_PERMISSION', `The token's user may not do this in Moodle (${wsfunction}): ${error.message}`);
    case 'invalidrecord':
    case 'invalidrecordunknown':
      return new LmsError('LMS_NOT_FOUND', `Moodle has no such record (${wsfunction}): ${error.message}`);
    default:
      return new LmsError('LMS_BAD_RESPONSE', `Moodle could not run ${wsfunction}: ${error.message} (${error.errorcode}).`);
  }
}

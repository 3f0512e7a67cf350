/**
 * The wire side of Moodle's REST web-service server (webservice/rest/locallib.php): PHP-style
 * array arguments (`options[0][name]=limitfrom`) decoded as PHP builds $_GET/$_POST, exceptions
 * answered with HTTP 200 and `{exception, errorcode, message}` (moodlewsrestformat=json) or the
 * `<EXCEPTION>` XML of the default format, and parameter cleaning as external_api does it.
 */
import { MOODLE_CAPABILITY_NAMES, type MoodleCapability } from './moodle-ws-model.ts';

/** A Moodle exception as the REST server reports it: class, error code, message (no debuginfo: debugging is off). */
export class MoodleException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidToken = () => new MoodleException('moodle_exception', 'invalidtoken', 'Invalid token - token not found');
/** webservice_access_exception: a function outside the token's service, or no webservice/rest:use. */
export const accessException = () => new MoodleException('webservice_access_exception', 'accessexception', 'Access control exception');
export const invalidParameter = () => new MoodleException('invalid_parameter_exception', 'invalidparameter', 'Invalid parameter value detected');
export const missingRecord = (table: string) => new MoodleException('dml_missing_record_exception', 'invalidrecord', `Can't find data record in database table ${table}.`);

export function requireCapability(capabilities: ReadonlySet<string>, capability: MoodleCapability): void {
  if (!capabilities.has(capability)) {
    throw new MoodleException('required_capability_exception', 'nopermissions', `Sorry, but you do not currently have permissions to do that (${MOODLE_CAPABILITY_NAMES[capability]}).`);
  }
}

export type PhpValue = string | { [key: string]: PhpValue };

/** Builds the nested array PHP makes of `a[0][b]=c` pairs (later pairs win, as in PHP). */
export function phpParams(pairs: Iterable<[string, string]>): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const [name, value] of pairs) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match) continue;
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node = root;
    for (const [index, key] of path.entries()) {
      const slot = key === '' ? String(Object.keys(node).length) : key;
      if (index === path.length - 1) node[slot] = value;
      else {
        const next = node[slot];
        node = typeof next === 'object' ? next : (node[slot] = {});
      }
    }
  }
  return root;
}

/** PARAM_INT as validate_parameters checks it: required unless a default is given. */
export function intParam(params: Record<string, PhpValue>, name: string, fallback?: number): number {
  const value = params[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) throw invalidParameter();
  return Number(value);
}

/** An external_multiple_structure of {name, value} (e.g. core_enrol_get_enrolled_users options). */
export function nameValueList(params: Record<string, PhpValue>, name: string): { name: string; value: string }[] {
  const value = params[name];
  if (value === undefined) return [];
  if (typeof value !== 'object') throw invalidParameter();
  return Object.values(value).map((entry) => {
    if (typeof entry !== 'object' || typeof entry.name !== 'string' || typeof entry.value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(entry.name)) throw invalidParameter();
    return { name: entry.name, value: entry.value };
  });
}

export function errorBody(error: MoodleException, format: 'json' | 'xml'): string {
  if (format === 'json') return JSON.stringify({ exception: error.exception, errorcode: error.errorcode, message: error.message });
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="${xmlText(error.exception)}">\n<ERRORCODE>${xmlText(error.errorcode)}</ERRORCODE>\n<MESSAGE>${xmlText(error.message)}</MESSAGE>\n</EXCEPTION>\n`;
}

export function responseBody(value: unknown, format: 'json' | 'xml'): string {
  return format === 'json' ? JSON.stringify(value) : `<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n${xmlize(value)}</RESPONSE>\n`;
}

/** webservice_rest_server::xmlize_result, driven by the value instead of the return description. */
function xmlize(value: unknown): string {
  if (Array.isArray(value)) return `<MULTIPLE>\n${value.map(xmlize).join('')}</MULTIPLE>\n`;
  if (value !== null && typeof value === 'object') {
    return `<SINGLE>\n${Object.entries(value)
      .map(([key, v]) => `<KEY name="${xmlText(key)}">${xmlize(v)}</KEY>\n`)
      .join('')}</SINGLE>\n`;
  }
  if (value === null || value === undefined) return '<VALUE null="null"/>\n';
  return `<VALUE>${xmlText(String(typeof value === 'boolean' ? Number(value) : value))}</VALUE>\n`;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * LTI Client Side postMessages (1EdTech, 2022) and LTI Platform Storage — the platform half:
 * `lti.capabilities`, `lti.put_data` and `lti.get_data` (the older `org.imsglobal.lti.*` subjects
 * too), answered with `<subject>.response`; data is kept per sender origin, so a tool only ever
 * reads back what its own origin stored.
 *
 * Two ways to drive it:
 * - page-less tests (our Browser runs no script): the test plays the tool page's script and calls
 *   `postMessage(message, { origin, targetOrigin, frame })`, which returns the reply the platform
 *   would post back to that origin, or undefined when a browser would not have delivered it;
 * - a real browser (Chromium via playwright-core): GET /post_message_forwarding serves Canvas's
 *   forwarding frame with the same behaviour in page script.
 */
import express from 'express';

export interface StorageDelivery {
  /** Origin of the tool frame that sent the message (event.origin on the platform side). */
  readonly origin: string;
  /** The targetOrigin the tool passed to postMessage: the platform origin or '*'. */
  readonly targetOrigin: string;
  /** Which window received it: '_parent' (window.parent) or a named frame such as 'post_message_forwarding'. */
  readonly frame?: string;
}

export interface StorageLogEntry extends StorageDelivery {
  readonly message: unknown;
  readonly reply: Record<string, unknown> | undefined;
}

const MAX_KEYS_PER_ORIGIN = 500;
const MAX_VALUE_LENGTH = 4096;

export class PlatformStorage {
  readonly #origin: string;
  readonly #data = new Map<string, Map<string, string>>();
  readonly #log: StorageLogEntry[] = [];
  /** Frame that handles put_data/get_data: Canvas's forwarding frame; '_parent' for the Moodle flavour. */
  readonly dataFrame: string;

  constructor(platformOrigin: string, dataFrame: string) {
    this.#origin = new URL(platformOrigin).origin;
    this.dataFrame = dataFrame;
  }

  postMessage(message: unknown, delivery: StorageDelivery): Record<string, unknown> | undefined {
    const reply = this.#handle(message, delivery);
    this.#log.push({ ...delivery, message, reply });
    return reply;
  }

  /** What `origin` has stored (for assertions). */
  data(origin: string): ReadonlyMap<string, string> {
    return new Map(this.#data.get(new URL(origin).origin) ?? []);
  }

  log(): readonly StorageLogEntry[] {
    return [...this.#log];
  }

  #handle(message: unknown, delivery: StorageDelivery): Record<string, unknown> | undefined {
    // A browser drops a message whose targetOrigin is neither '*' nor the receiving window's origin.
    if (delivery.targetOrigin !== '*' && safeOrigin(delivery.targetOrigin) !== this.#origin) return undefined;
    if (typeof message !== 'object' || message === null) return undefined;
    const m = message as Record<string, unknown>;
    if (typeof m.subject !== 'string') return undefined;
    const subject = m.subject.replace(/^org\.imsglobal\./, '');
    const frame = delivery.frame ?? '_parent';
    const respond = (body: Record<string, unknown>) => ({ subject: `${m.subject}.response`, message_id: m.message_id, ...body });
    const fail = (code: string, text: string) => respond({ error: { code, message: text } });
    if (typeof m.message_id !== 'string' && typeof m.message_id !== 'number') return fail('bad_request', 'message_id is required.');
    if (subject === 'lti.capabilities') {
      return respond({
        supported_messages: [
          { subject: 'lti.capabilities' },
          { subject: 'lti.put_data', frame: this.dataFrame },
          { subject: 'lti.get_data', frame: this.dataFrame },
        ],
      });
    }
    if (subject !== 'lti.put_data' && subject !== 'lti.get_data') return fail('unsupported_subject', `The subject ${m.subject} is not supported.`);
    // put/get go to the advertised frame; another window of the platform does not answer them.
    if (frame !== this.dataFrame) return undefined;
    if (typeof m.key !== 'string' || m.key === '') return fail('bad_request', 'key is required.');
    const origin = new URL(delivery.origin).origin;
    let store = this.#data.get(origin);
    if (subject === 'lti.put_data') {
      if (typeof m.value !== 'string') return fail('bad_request', 'value must be a string.');
      if (m.value.length > MAX_VALUE_LENGTH) return fail('bad_request', `value is longer than ${MAX_VALUE_LENGTH} characters.`);
      if (!store) this.#data.set(origin, (store = new Map()));
      if (!store.has(m.key) && store.size >= MAX_KEYS_PER_ORIGIN) return fail('storage_exhaustion', 'Too many keys stored for this origin.');
      store.set(m.key, m.value);
      return respond({ key: m.key, value: m.value });
    }
    const value = store?.get(m.key);
    if (value === undefined) return fail('bad_request', `There is no value for key ${m.key}.`);
    return respond({ key: m.key, value });
  }

  /** Canvas's forwarding frame for real browsers: same rules as postMessage() above, in page script. */
  routes(): express.Router {
    const router = express.Router();
    router.get(`/${'post_message_forwarding'}`, (_req, res) => {
      res.type('html').send(FORWARDING_FRAME);
    });
    return router;
  }
}

function safeOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * The platform side in page script (same rules as PlatformStorage.postMessage): `frame` is the
 * advertised data frame; a window that is not that frame (Canvas's main page) answers only
 * lti.capabilities and leaves data messages unanswered.
 */
export function storageScript(frame: string, handlesData: boolean): string {
  return `(function () {
  var stores = {};
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!m || typeof m.subject !== 'string') return;
    var subject = m.subject.replace(/^org\\.imsglobal\\./, '');
    function reply(body) {
      var out = { subject: m.subject + '.response', message_id: m.message_id };
      for (var k in body) out[k] = body[k];
      event.source.postMessage(out, event.origin);
    }
    function fail(code, text) { reply({ error: { code: code, message: text } }); }
    if (m.message_id === undefined) return fail('bad_request', 'message_id is required.');
    if (subject === 'lti.capabilities') return reply({ supported_messages: [
      { subject: 'lti.capabilities' },
      { subject: 'lti.put_data', frame: '${frame}' },
      { subject: 'lti.get_data', frame: '${frame}' } ] });
    if (subject !== 'lti.put_data' && subject !== 'lti.get_data') return fail('unsupported_subject', 'Not supported.');
    if (!${handlesData}) return;
    if (typeof m.key !== 'string' || !m.key) return fail('bad_request', 'key is required.');
    var store = stores[event.origin] || (stores[event.origin] = {});
    if (subject === 'lti.put_data') {
      if (typeof m.value !== 'string' || m.value.length > ${MAX_VALUE_LENGTH}) return fail('bad_request', 'value must be a string of at most ${MAX_VALUE_LENGTH} characters.');
      store[m.key] = m.value;
      return reply({ key: m.key, value: m.value });
    }
    if (!Object.prototype.hasOwnProperty.call(store, m.key)) return fail('bad_request', 'There is no value for key ' + m.key + '.');
    reply({ key: m.key, value: store[m.key] });
  });
})();
`;
}

const FORWARDING_FRAME = `<!doctype html><html><head><meta charset="utf-8"><title>post_message_forwarding</title></head><body>
<script>
${storageScript('post_message_forwarding', true)}</script></body></html>`;

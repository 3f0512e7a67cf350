/**
 * A minimal user agent over fetch for driving LTI flows without a real browser: a cookie jar
 * (cookie-jar.ts), manual redirect following with a cap, form extraction and auto-submission
 * (html-forms.ts), Origin and Sec-Fetch-* request headers, and an optional frame context so a
 * test can run the tool "inside the LMS iframe" with third-party cookies blocked. No JavaScript
 * runs; pages that need script (LTI platform storage) stop the chain and the test continues it.
 *
 * Sites: the simulator and the tool both listen on 127.0.0.1 with different ports, so this
 * browser treats every origin as its own site (real browsers ignore ports for sites; the
 * difference only makes the simulation stricter, never more lenient).
 */
import { readStreamCapped } from '../../shared/net/read-capped.ts';
import { CookieJar, type CookieContext } from './cookie-jar.ts';
import { extractForms, extractScripts, type HtmlForm, type ScriptTag } from './html-forms.ts';

export interface BrowserOptions {
  /** Refuse cross-site cookies in frames, as Safari and Chrome's third-party cookie blocking do. */
  readonly blockThirdPartyCookies?: boolean;
  readonly maxRedirects?: number;
  readonly maxAutoSubmits?: number;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /** Clock for cookie expiry (milliseconds). */
  readonly now?: () => number;
}

export interface NavigateInit {
  readonly method?: 'GET' | 'POST';
  /** Form fields: urlencoded into the query (GET) or the body (POST). */
  readonly form?: Record<string, string> | readonly (readonly [string, string])[];
  readonly headers?: Record<string, string>;
  /** Origin of the top-level page when this navigation happens inside an iframe. */
  readonly embeddedIn?: string;
  /** Origin of the page that started the navigation (undefined: typed in the address bar). */
  readonly initiator?: string;
  /** Follow redirects and auto-submitting forms (default true). */
  readonly follow?: boolean;
}

export interface BrowserStep {
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export interface BrowserPage {
  readonly status: number;
  readonly url: string;
  readonly html: string;
  readonly headers: Headers;
  readonly forms: readonly HtmlForm[];
  readonly scripts: readonly ScriptTag[];
  /** Every request of the navigation, in order, the last one being this page. */
  readonly trail: readonly BrowserStep[];
  readonly embeddedIn: string | undefined;
  readonly browser: Browser;
}

export class BrowserError extends Error {
  constructor(
    readonly code: 'BROWSER_TOO_MANY_REDIRECTS' | 'BROWSER_TOO_MANY_SUBMITS' | 'BROWSER_TOO_LARGE' | 'BROWSER_NETWORK' | 'BROWSER_NO_FORM',
    message: string,
  ) {
    super(message);
    this.name = 'BrowserError';
  }
}

export class Browser {
  readonly cookies: CookieJar;
  readonly #options: Required<Omit<BrowserOptions, 'now'>>;

  constructor(options: BrowserOptions = {}) {
    this.cookies = new CookieJar(options.now ?? Date.now);
    this.#options = {
      blockThirdPartyCookies: options.blockThirdPartyCookies ?? false,
      maxRedirects: options.maxRedirects ?? 20,
      maxAutoSubmits: options.maxAutoSubmits ?? 10,
      maxBytes: options.maxBytes ?? 2_000_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
  }

  get blocksThirdPartyCookies(): boolean {
    return this.#options.blockThirdPartyCookies;
  }

  /** Navigate (in the top-level window, or in a frame when `embeddedIn` is given). */
  async navigate(url: string, init: NavigateInit = {}): Promise<BrowserPage> {
    const trail: BrowserStep[] = [];
    let method = init.method ?? 'GET';
    let target = new URL(url);
    let body: URLSearchParams | undefined;
    if (init.form) {
      const params = new URLSearchParams(init.form as [string, string][]);
      if (method === 'GET') {
        target = new URL(target);
        target.search = params.toString();
      } else body = params;
    }
    let initiator = init.initiator;
    let redirects = 0;
    let submits = 0;
    for (;;) {
      const page = await this.#request(method, target, body, init.headers ?? {}, initiator, init.embeddedIn, trail);
      if (init.follow === false) return page;
      const location = page.headers.get('location');
      if (page.status >= 300 && page.status < 400 && location) {
        if (++redirects > this.#options.maxRedirects) throw new BrowserError('BROWSER_TOO_MANY_REDIRECTS', `More than ${this.#options.maxRedirects} redirects starting at ${url}.`);
        if (!(page.status === 307 || page.status === 308)) {
          method = 'GET';
          body = undefined;
        }
        initiator = target.origin;
        target = new URL(location, target);
        continue;
      }
      const auto = page.forms.find((form) => form.autoSubmit);
      if (!auto) return page;
      if (++submits > this.#options.maxAutoSubmits) throw new BrowserError('BROWSER_TOO_MANY_SUBMITS', `More than ${this.#options.maxAutoSubmits} auto-submitting forms starting at ${url}.`);
      const next = formTarget(auto, auto.entries);
      method = auto.method;
      target = next.url;
      body = next.body;
      initiator = new URL(page.url).origin;
    }
  }

  /**
   * Submit a form of `page` (the first one when no selector is given), with fields replaced or
   * added by `overrides`, then follow redirects and auto-submitting forms.
   */
  async submit(page: BrowserPage, selector?: string | ((form: HtmlForm) => boolean), overrides: Record<string, string> = {}): Promise<BrowserPage> {
    const form = selectForm(page, selector);
    const entries = form.entries.filter(([name]) => !(name in overrides)).concat(Object.entries(overrides));
    const next = formTarget(form, entries);
    return this.navigate(next.url.toString(), {
      method: form.method,
      ...(next.body ? { form: [...next.body.entries()] } : {}),
      initiator: new URL(page.url).origin,
      ...(page.embeddedIn !== undefined ? { embeddedIn: page.embeddedIn } : {}),
    });
  }

  /** Fetch a subresource (a script) the way the page would, returning its text or undefined. */
  async subresource(url: string, page: BrowserPage): Promise<string | undefined> {
    const trail: BrowserStep[] = [];
    const result = await this.#request('GET', new URL(url), undefined, {}, new URL(page.url).origin, page.embeddedIn ?? new URL(page.url).origin, trail, 'script');
    return result.status === 200 ? result.html : undefined;
  }

  async #request(method: string, url: URL, body: URLSearchParams | undefined, extraHeaders: Record<string, string>, initiator: string | undefined, embeddedIn: string | undefined, trail: BrowserStep[], destination: 'document' | 'iframe' | 'script' = embeddedIn ? 'iframe' : 'document'): Promise<BrowserPage> {
    // A frame or a script lives under a top-level page: cross-site means "not the top-level site".
    // A top-level navigation is cross-site when another origin started it.
    const framed = destination !== 'document';
    const topSite = embeddedIn ?? url.origin;
    const context: CookieContext = {
      crossSite: framed ? url.origin !== topSite : initiator !== undefined && initiator !== url.origin,
      topLevelSafeNavigation: !framed && method === 'GET',
      topLevelNavigation: !framed,
      blockThirdParty: this.#options.blockThirdPartyCookies,
    };
    const headers: Record<string, string> = {
      'user-agent': 'microcred-sim-browser/1.0',
      accept: destination === 'script' ? '*/*' : 'text/html,application/xhtml+xml,*/*;q=0.8',
      'sec-fetch-mode': destination === 'script' ? 'no-cors' : 'navigate',
      'sec-fetch-dest': destination,
      'sec-fetch-site': initiator === undefined ? 'none' : initiator === url.origin ? 'same-origin' : 'cross-site',
      ...extraHeaders,
    };
    if (method === 'POST') headers.origin = initiator ?? 'null';
    const cookie = this.cookies.headerFor(url, context);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    let response: Response;
    let bytes: Uint8Array | undefined;
    try {
      response = await fetch(url, { method, headers, body: body?.toString(), redirect: 'manual', signal: controller.signal });
      bytes = response.body ? await readStreamCapped(response.body, this.#options.maxBytes) : new Uint8Array();
    } catch (error) {
      throw new BrowserError('BROWSER_NETWORK', `${method} ${url} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    if (!bytes) throw new BrowserError('BROWSER_TOO_LARGE', `${url} sent more than ${this.#options.maxBytes} bytes.`);
    for (const setCookie of response.headers.getSetCookie()) this.cookies.receive(url, setCookie, context);
    trail.push({ method, url: url.toString(), status: response.status });
    const html = new TextDecoder().decode(bytes);
    const isHtml = (response.headers.get('content-type') ?? '').includes('html');
    return {
      status: response.status,
      url: url.toString(),
      html,
      headers: response.headers,
      forms: isHtml ? extractForms(html, url.toString()) : [],
      scripts: isHtml ? extractScripts(html, url.toString()) : [],
      trail: [...trail],
      embeddedIn: destination === 'script' ? undefined : embeddedIn,
      browser: this,
    };
  }
}

export function selectForm(page: BrowserPage, selector?: string | ((form: HtmlForm) => boolean)): HtmlForm {
  const form =
    selector === undefined ? page.forms[0] : typeof selector === 'function' ? page.forms.find(selector) : page.forms.find((f) => f.id === selector || f.name === selector || f.action === selector);
  if (!form) throw new BrowserError('BROWSER_NO_FORM', `No form ${typeof selector === 'string' ? `"${selector}" ` : ''}on ${page.url} (status ${page.status}).`);
  return form;
}

function formTarget(form: HtmlForm, entries: readonly (readonly [string, string])[]): { url: URL; body: URLSearchParams | undefined } {
  const params = new URLSearchParams(entries as [string, string][]);
  const url = new URL(form.action);
  if (form.method === 'GET') {
    url.search = params.toString();
    return { url, body: undefined };
  }
  return { url, body: params };
}

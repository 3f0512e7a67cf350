/** The simulated browser: RFC 6265bis cookies with SameSite and third-party blocking, redirects, and HTML form handling. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { Browser } from '../platform-sim/browser.ts';
import { CookieJar } from '../platform-sim/cookie-jar.ts';
import { extractForms } from '../platform-sim/html-forms.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Handler = (url: URL, req: import('node:http').IncomingMessage, body: string) => { status?: number; headers?: Record<string, string | string[]>; body?: string };

async function serve(handler: Handler): Promise<string> {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const answer = handler(new URL(req.url ?? '/', 'http://x'), req, body);
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/html', ...(answer.headers ?? {}) });
    res.end(answer.body ?? '');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('cookie jar (RFC 6265bis)', () => {
  const top = { crossSite: false, topLevelSafeNavigation: true, topLevelNavigation: true, blockThirdParty: false };
  const framedCrossSite = { crossSite: true, topLevelSafeNavigation: false, topLevelNavigation: false, blockThirdParty: false };

  test('Path, Max-Age against the injected clock, and deletion', () => {
    let now = 0;
    const jar = new CookieJar(() => now);
    const url = new URL('http://127.0.0.1:1/lti/login');
    jar.receive(url, 'a=1; Path=/lti; Max-Age=60', top);
    jar.receive(url, 'b=2', top); // default path /lti
    expect(jar.headerFor(new URL('http://127.0.0.1:1/lti/launch'), top)).toBe('a=1; b=2');
    expect(jar.headerFor(new URL('http://127.0.0.1:1/other'), top)).toBeUndefined();
    expect(jar.headerFor(new URL('http://127.0.0.1:1/ltix'), top)).toBeUndefined();
    now = 61_000;
    expect(jar.headerFor(new URL('http://127.0.0.1:1/lti/x'), top)).toBe('b=2');
    jar.receive(url, 'b=; Max-Age=0', top);
    expect(jar.all()).toHaveLength(0);
  });

  test('SameSite: Lax (the default) and Strict stay home in cross-site frames; None needs Secure', () => {
    const jar = new CookieJar();
    const url = new URL('http://127.0.0.1:1/');
    jar.receive(url, 'lax=1', top);
    jar.receive(url, 'strict=1; SameSite=Strict', top);
    jar.receive(url, 'none=1; SameSite=None; Secure', top);
    expect(jar.receive(url, 'insecure=1; SameSite=None', top)).toBe(false);
    expect(jar.headerFor(url, framedCrossSite)).toBe('none=1');
    expect(jar.headerFor(url, { ...framedCrossSite, blockThirdParty: true })).toBeUndefined();
    expect(jar.headerFor(url, { crossSite: true, topLevelSafeNavigation: true, topLevelNavigation: true, blockThirdParty: false })).toBe('lax=1; none=1');
    expect(jar.receive(url, 'framed=1; SameSite=Lax', framedCrossSite)).toBe(false);
    expect(jar.receive(url, 'framed=1; SameSite=None; Secure', { ...framedCrossSite, blockThirdParty: true })).toBe(false);
  });

  test('Secure cookies only on https or loopback; host-only; prefixes', () => {
    const jar = new CookieJar();
    expect(jar.receive(new URL('http://example.test/'), 's=1; Secure', top)).toBe(false);
    expect(jar.receive(new URL('http://127.0.0.1/'), 's=1; Secure', top)).toBe(true);
    expect(jar.receive(new URL('http://127.0.0.1/'), 'd=1; Domain=example.test', top)).toBe(false);
    expect(jar.receive(new URL('http://127.0.0.1/a/b'), '__Host-x=1; Secure; Path=/a', top)).toBe(false);
    expect(jar.headerFor(new URL('http://127.0.0.2/'), top)).toBeUndefined();
  });
});

describe('HTML forms', () => {
  test('controls, entities, and the auto-submit patterns', () => {
    const html = `<body onload="document.forms[1].submit()">
      <form id="picker" action="/pick?x=1&amp;y=2" method="post">
        <input type="hidden" name="a" value="&quot;q&quot; &amp; &#x41;">
        <input type="checkbox" name="c" value="yes" checked><input type="checkbox" name="d" value="no">
        <input type="submit" name="go" value="Go"><input name="t" disabled value="x">
        <textarea name="note">line</textarea>
        <select name="s"><option value="1">one</option><option value="2" selected>two</option></select>
      </form>
      <form action="https://lms.example/return"><input name="JWT" value="abc"></form>
      <form data-autosubmit method="POST" action="/x"></form>
      <form name="ltiAuthForm" action="/y" method="post"></form><script>document.ltiAuthForm.submit();</script>
      <form id="z" action="/z"></form><script>document.getElementById('z').submit()</script>
      <!-- <form data-autosubmit action="/commented"></form> --></body>`;
    const forms = extractForms(html, 'http://127.0.0.1:5/page');
    expect(forms.map((form) => form.autoSubmit)).toEqual([false, true, true, true, true]);
    expect(forms[0]).toMatchObject({ id: 'picker', method: 'POST', action: 'http://127.0.0.1:5/pick?x=1&y=2' });
    expect(forms[0]!.entries).toEqual([
      ['a', '"q" & A'],
      ['c', 'yes'],
      ['note', 'line'],
      ['s', '2'],
    ]);
    expect(forms[1]).toMatchObject({ method: 'GET', action: 'https://lms.example/return', fields: { JWT: 'abc' } });
  });
});

describe('navigation', () => {
  test('redirects are followed with the right method, auto-submitting forms are posted, and the cap holds', async () => {
    const seen: string[] = [];
    const base = await serve((url, req, body) => {
      seen.push(`${req.method} ${url.pathname} ${body}`);
      if (url.pathname === '/start') return { status: 302, headers: { location: '/form' } };
      if (url.pathname === '/form') return { body: '<form data-autosubmit method="post" action="/post"><input type="hidden" name="k" value="v"></form>' };
      if (url.pathname === '/post') return { status: 303, headers: { location: '/done' } };
      if (url.pathname === '/keep') return { status: 307, headers: { location: '/done' } };
      if (url.pathname === '/loop') return { status: 302, headers: { location: '/loop' } };
      return { body: `<p>${req.headers['sec-fetch-site']}</p>` };
    });
    const browser = new Browser({ maxRedirects: 5 });
    const page = await browser.navigate(`${base}/start`);
    expect(page.trail.map((step) => `${step.method} ${new URL(step.url).pathname} ${step.status}`)).toEqual(['GET /start 302', 'GET /form 200', 'POST /post 303', 'GET /done 200']);
    expect(seen).toContain('POST /post k=v');
    await browser.navigate(`${base}/keep`, { method: 'POST', form: { a: '1' } });
    expect(seen.at(-1)).toBe('POST /done a=1');
    await expect(browser.navigate(`${base}/loop`)).rejects.toMatchObject({ code: 'BROWSER_TOO_MANY_REDIRECTS' });
  });

  test('a tool in a cross-site frame loses its Lax cookie on the form_post back, keeps a SameSite=None one, and keeps nothing with third-party cookies blocked', async () => {
    const toolBase = await serve((url, req) => {
      if (url.pathname === '/login') return { headers: { 'set-cookie': ['lax=1; Path=/', 'none=1; Path=/; SameSite=None; Secure'] }, body: 'ok' };
      return { body: `<p id="cookies">${req.headers.cookie ?? ''}</p>` };
    });
    const platform = 'http://127.0.0.1:1';
    const framed = new Browser();
    await framed.navigate(`${toolBase}/login`, { embeddedIn: platform, initiator: platform });
    const launch = await framed.navigate(`${toolBase}/launch`, { method: 'POST', form: { id_token: 'x' }, embeddedIn: platform, initiator: platform });
    expect(launch.html).toContain('>none=1<');
    const blocked = new Browser({ blockThirdPartyCookies: true });
    await blocked.navigate(`${toolBase}/login`, { embeddedIn: platform, initiator: platform });
    expect(blocked.cookies.all()).toHaveLength(0);
    const topLevel = new Browser();
    await topLevel.navigate(`${toolBase}/login`);
    const post = await topLevel.navigate(`${toolBase}/launch`, { method: 'POST', form: {}, initiator: platform });
    expect(post.html).toContain('>none=1<');
    expect(post.html).not.toContain('lax=1');
  });

  test('responses larger than the cap are refused', async () => {
    const base = await serve(() => ({ body: 'x'.repeat(5000) }));
    await expect(new Browser({ maxBytes: 1000 }).navigate(base)).rejects.toMatchObject({ code: 'BROWSER_TOO_LARGE' });
  });
});

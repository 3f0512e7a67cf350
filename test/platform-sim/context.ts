/** What every route module of the simulator shares: flavour profile, state, keys, clock, origin. */
import type { FlavourProfile } from './flavours.ts';
import { escapeHtml } from './html-forms.ts';
import type { SimState } from './model.ts';
import type { PlatformKeys } from './platform-keys.ts';

export interface SimContext {
  readonly profile: FlavourProfile;
  readonly state: SimState;
  readonly keys: PlatformKeys;
  /** Milliseconds since the epoch (the injected clock). */
  now(): number;
  /** Loopback origin of the simulator, e.g. http://127.0.0.1:40123. */
  baseUrl(): string;
  issuer(): string;
  /** Moodle before the auth.php redirect_uri fix: every authorization error is posted to the redirect_uri. */
  readonly legacyMoodleAuth: boolean;
}

/** A page that submits itself, in the shape the platforms use (inline script naming the form). */
export function autoSubmitPage(action: string, method: 'GET' | 'POST', fields: Record<string, string>, formName: string, title: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<form action="${escapeHtml(action)}" name="${formName}" id="${formName}" method="${method.toLowerCase()}" enctype="application/x-www-form-urlencoded">
${inputs}
</form>
<script type="text/javascript">
//<![CDATA[
document.${formName}.submit();
//]]>
</script>
</body></html>`;
}

export function messagePage(title: string, message: string, attributes: Record<string, string> = {}): string {
  const attrs = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main${attrs}><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

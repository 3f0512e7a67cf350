/**
 * HTML form extraction for the simulated browser (WHATWG HTML §4.10.21 "constructing the entry
 * list", reduced to what LTI pages use): <form>, <input>, <textarea>, <select>/<option>, <button>,
 * and which forms submit themselves. No script runs: a form counts as auto-submitting when it
 * carries the agreed marker attribute `data-autosubmit` (the tool's pages have no inline script),
 * or when the page uses the classic platform patterns `<body onload="...submit()">` or an inline
 * `<script>` calling `document.forms[..].submit()` / `document.getElementById('..').submit()`.
 */

export interface HtmlForm {
  readonly id: string | undefined;
  readonly name: string | undefined;
  /** Absolute URL the form submits to. */
  readonly action: string;
  readonly method: 'GET' | 'POST';
  readonly enctype: string;
  /** Successful controls in document order (names may repeat). */
  readonly entries: readonly (readonly [string, string])[];
  /** First value per control name. */
  readonly fields: Readonly<Record<string, string>>;
  readonly autoSubmit: boolean;
  /** The form tag's attributes, lower-cased names, decoded values. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ScriptTag {
  readonly src: string | undefined;
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39|nbsp);/gi, (match, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return safeCodePoint(parseInt(e.slice(2), 16), match);
    if (e.startsWith('#')) return safeCodePoint(parseInt(e.slice(1), 10), match);
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[e] ?? match;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Attributes of one start tag's inner text (after the tag name). */
export function parseAttributes(tagInner: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of tagInner.matchAll(pattern)) {
    const name = (match[1] ?? '').toLowerCase();
    if (name in attributes) continue;
    attributes[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function withoutComments(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '');
}

export function extractScripts(html: string, baseUrl: string): ScriptTag[] {
  const scripts: ScriptTag[] = [];
  for (const match of withoutComments(html).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = parseAttributes(match[1] ?? '');
    const src = attributes.src !== undefined ? resolve(attributes.src, baseUrl) : undefined;
    scripts.push({ src, text: match[2] ?? '', attributes });
  }
  return scripts;
}

export function extractForms(html: string, baseUrl: string): HtmlForm[] {
  const clean = withoutComments(html);
  const scripts = extractScripts(clean, baseUrl).map((script) => script.text).join('\n');
  const bodyOnload = /<body\b([^>]*)>/i.exec(clean);
  const onload = bodyOnload ? (parseAttributes(bodyOnload[1] ?? '').onload ?? '') : '';
  const submitters = `${scripts}\n${onload}`;
  const forms: HtmlForm[] = [];
  let index = 0;
  for (const match of clean.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi)) {
    const attributes = parseAttributes(match[1] ?? '');
    const entries = controlEntries(match[2] ?? '');
    const fields: Record<string, string> = {};
    for (const [name, value] of entries) if (!(name in fields)) fields[name] = value;
    const method = (attributes.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    forms.push({
      id: attributes.id,
      name: attributes.name,
      action: resolve(attributes.action ?? '', baseUrl),
      method,
      enctype: attributes.enctype ?? 'application/x-www-form-urlencoded',
      entries,
      fields,
      autoSubmit: 'data-autosubmit' in attributes || scriptSubmits(submitters, attributes, index),
      attributes,
    });
    index += 1;
  }
  return forms;
}

function scriptSubmits(code: string, attributes: Record<string, string>, index: number): boolean {
  if (!/\.submit\s*\(\s*\)/.test(code)) return false;
  const names = [attributes.id, attributes.name].filter((n): n is string => n !== undefined && n !== '');
  for (const name of names) {
    const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`getElementById\\(\\s*['"]${quoted}['"]\\s*\\)\\s*\\.submit\\s*\\(`).test(code)) return true;
    if (new RegExp(`forms\\[\\s*['"]${quoted}['"]\\s*\\]\\s*\\.submit\\s*\\(`).test(code)) return true;
    if (/^[A-Za-z_$][\w$]*$/.test(name) && new RegExp(`document\\.${name}\\.submit\\s*\\(`).test(code)) return true;
  }
  return new RegExp(`forms\\[\\s*${index}\\s*\\]\\s*\\.submit\\s*\\(`).test(code);
}

function controlEntries(inner: string): [string, string][] {
  const entries: [string, string][] = [];
  const pattern = /<(input|button)\b([^>]*)>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea\s*>|<select\b([^>]*)>([\s\S]*?)<\/select\s*>/gi;
  for (const match of inner.matchAll(pattern)) {
    if (match[1]) {
      const attributes = parseAttributes(match[2] ?? '');
      const name = attributes.name;
      if (!name || 'disabled' in attributes) continue;
      if (match[1].toLowerCase() === 'button') continue; // a button contributes only when it is the submitter
      const type = (attributes.type ?? 'text').toLowerCase();
      if (['submit', 'image', 'reset', 'button', 'file'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in attributes)) continue;
      entries.push([name, attributes.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    } else if (match[3] !== undefined) {
      const attributes = parseAttributes(match[3]);
      if (attributes.name && !('disabled' in attributes)) entries.push([attributes.name, decodeEntities(match[4] ?? '').replace(/^\n/, '')]);
    } else if (match[5] !== undefined) {
      const attributes = parseAttributes(match[5]);
      if (!attributes.name || 'disabled' in attributes) continue;
      const options = [...(match[6] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|$)/gi)].map((option) => {
        const optionAttributes = parseAttributes(option[1] ?? '');
        const text = decodeEntities((option[2] ?? '').replace(/<\/option\s*>[\s\S]*$/i, '').trim());
        return { value: optionAttributes.value ?? text, selected: 'selected' in optionAttributes };
      });
      const chosen = options.filter((option) => option.selected);
      const values = chosen.length > 0 ? ('multiple' in attributes ? chosen : chosen.slice(0, 1)) : options.slice(0, 1);
      for (const option of values) entries.push([attributes.name, option.value]);
    }
  }
  return entries;
}

function resolve(href: string, baseUrl: string): string {
  try {
    return new URL(href, baseUrl).toString();
  } catch {
    return baseUrl;
  }
}

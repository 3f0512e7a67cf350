/**
 * A small, linear-time XML 1.0 tokenizer for reading hostile SVG files without a DOM (XML 1.0
 * §2.4–2.8, §4.1). It never fetches anything and never expands an entity into another: a DTD may
 * only declare internal general entities whose literal values hold no markup and no references
 * (what Illustrator writes), at most 64 of them, so "billion laughs" and external entities are
 * refused outright. Any other DTD declaration is refused too (ATTLIST could inject attributes).
 */
import { BakingError } from './errors.ts';

export interface XmlStartTag {
  readonly kind: 'start';
  readonly name: string;
  /** Attribute values with references decoded. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly selfClosing: boolean;
  readonly start: number;
  /** Offset just past the closing `>`. */
  readonly end: number;
}
export interface XmlEndTag { readonly kind: 'end'; readonly name: string; readonly start: number; readonly end: number }
/** Character data with references decoded. */
export interface XmlText { readonly kind: 'text'; readonly value: string; readonly start: number; readonly end: number }
export interface XmlCdata { readonly kind: 'cdata'; readonly value: string; readonly start: number; readonly end: number }
export interface XmlMisc { readonly kind: 'comment' | 'pi' | 'doctype'; readonly start: number; readonly end: number }
export type XmlToken = XmlStartTag | XmlEndTag | XmlText | XmlCdata | XmlMisc;

const MAX_ENTITIES = 64;
const MAX_ENTITY_VALUE = 1024;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_DECL = /^<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/;

/** Yields the tokens of `text` in order; throws BakingError (svg-malformed / svg-entity). */
export function* scanXml(text: string): Generator<XmlToken> {
  const entities = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt !== i) {
      const end = lt < 0 ? text.length : lt;
      yield { kind: 'text', value: decodeReferences(text.slice(i, end), entities), start: i, end };
      if (lt < 0) return;
    }
    if (text.startsWith('<!--', lt)) {
      i = closeAt(text, '-->', lt + 4, 'a comment');
      yield { kind: 'comment', start: lt, end: i };
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = closeAt(text, ']]>', lt + 9, 'a CDATA section');
      yield { kind: 'cdata', value: text.slice(lt + 9, i - 3), start: lt, end: i };
    } else if (text.startsWith('<?', lt)) {
      i = closeAt(text, '?>', lt + 2, 'a processing instruction');
      yield { kind: 'pi', start: lt, end: i };
    } else if (text.startsWith('<!DOCTYPE', lt)) {
      i = readDoctype(text, lt, entities);
      yield { kind: 'doctype', start: lt, end: i };
    } else if (text.startsWith('</', lt)) {
      i = closeAt(text, '>', lt + 2, 'an end tag');
      const name = text.slice(lt + 2, i - 1).trimEnd();
      if (!isName(name)) throw malformed(`The end tag at character ${lt} is malformed.`);
      yield { kind: 'end', name, start: lt, end: i };
    } else {
      const tag = readStartTag(text, lt, entities);
      i = tag.end;
      yield tag;
    }
  }
}

function readStartTag(text: string, lt: number, entities: ReadonlyMap<string, string>): XmlStartTag {
  let j = lt + 1;
  while (j < text.length && !isSpace(text[j]!) && text[j] !== '>' && text[j] !== '/') j++;
  const name = text.slice(lt + 1, j);
  if (!isName(name)) throw malformed(`The tag at character ${lt} is malformed.`);
  const attributes = new Map<string, string>();
  for (;;) {
    const before = j;
    while (j < text.length && isSpace(text[j]!)) j++;
    if (j >= text.length) throw malformed(`The tag <${name}> is not closed.`);
    if (text[j] === '>') return { kind: 'start', name, attributes, selfClosing: false, start: lt, end: j + 1 };
    if (text.startsWith('/>', j)) return { kind: 'start', name, attributes, selfClosing: true, start: lt, end: j + 2 };
    if (j === before) throw malformed(`The attributes of <${name}> are not separated by spaces.`);
    const nameStart = j;
    while (j < text.length && !isSpace(text[j]!) && !'=/>'.includes(text[j]!)) j++;
    const attribute = text.slice(nameStart, j);
    while (j < text.length && isSpace(text[j]!)) j++;
    if (!isName(attribute) || text[j] !== '=') throw malformed(`An attribute of <${name}> is malformed.`);
    j++;
    while (j < text.length && isSpace(text[j]!)) j++;
    const quote = text[j];
    if (quote !== '"' && quote !== "'") throw malformed(`The attribute ${attribute} of <${name}> is not quoted.`);
    const close = text.indexOf(quote, j + 1);
    if (close < 0) throw malformed(`The attribute ${attribute} of <${name}> is not closed.`);
    const raw = text.slice(j + 1, close);
    if (raw.includes('<')) throw malformed(`The attribute ${attribute} of <${name}> contains "<".`);
    if (attributes.has(attribute)) throw malformed(`The tag <${name}> repeats the attribute ${attribute}.`);
    attributes.set(attribute, decodeReferences(raw, entities));
    j = close + 1;
  }
}

/** §2.8 / §4.2: the DOCTYPE and its internal subset, accepting only simple internal entities. */
function readDoctype(text: string, lt: number, entities: Map<string, string>): number {
  let j = lt + 9;
  let quote: string | undefined;
  for (; j < text.length; j++) {
    const c = text[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return j + 1;
    } else if (c === '[') {
      j = readInternalSubset(text, j + 1, entities);
      while (j < text.length && isSpace(text[j]!)) j++;
      if (text[j] !== '>') throw malformed('The DOCTYPE of this SVG is malformed.');
      return j + 1;
    }
  }
  throw malformed('The DOCTYPE of this SVG is not closed.');
}

function readInternalSubset(text: string, from: number, entities: Map<string, string>): number {
  let j = from;
  for (;;) {
    while (j < text.length && isSpace(text[j]!)) j++;
    if (j >= text.length) throw malformed('The DOCTYPE of this SVG is not closed.');
    if (text[j] === ']') return j + 1;
    if (text.startsWith('<!--', j)) {
      j = closeAt(text, '-->', j + 4, 'a comment');
      continue;
    }
    if (!text.startsWith('<!ENTITY', j)) {
      throw new BakingError('baked.svg-entity', 'This SVG declares DTD content other than simple entities; it is refused for safety.');
    }
    const match = ENTITY_DECL.exec(text.slice(j, j + MAX_ENTITY_VALUE + 200));
    const value = match ? (match[2] ?? match[3] ?? '') : undefined;
    if (!match || value === undefined || value.length > MAX_ENTITY_VALUE || /[&%<]/.test(value)) {
      throw new BakingError('baked.svg-entity', 'This SVG declares an entity that is external, parameterised, nested or too long; it is refused for safety.');
    }
    if (entities.size >= MAX_ENTITIES) throw new BakingError('baked.svg-entity', `This SVG declares more than ${MAX_ENTITIES} entities; it is refused for safety.`);
    if (!entities.has(match[1]!)) entities.set(match[1]!, value);
    j += match[0].length;
  }
}

/** §4.1: character references and references to predefined or declared (flat) entities. */
export function decodeReferences(raw: string, entities: ReadonlyMap<string, string>): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,32});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw malformed('This SVG contains an "&" that does not start a reference.');
    const codePoint = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : undefined;
    if (codePoint !== undefined) {
      if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) throw malformed(`The reference ${whole} is not a valid character.`);
      return String.fromCodePoint(codePoint);
    }
    const value = PREDEFINED[ref] ?? entities.get(ref);
    if (value === undefined) throw new BakingError('baked.svg-entity', `This SVG uses the undeclared entity ${whole}.`);
    return value;
  });
}

function closeAt(text: string, terminator: string, from: number, what: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) throw malformed(`This SVG has ${what} that is never closed.`);
  return at + terminator.length;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r';
}

function isName(name: string): boolean {
  return /^[A-Za-z_:][\w.:-]*$/.test(name);
}

function malformed(message: string): BakingError {
  return new BakingError('baked.svg-malformed', message);
}

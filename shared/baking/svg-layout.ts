/**
 * OB 3.0 §5.3.2 and OB 2.0 "Baking" (SVG): locate the root <svg> element and every baked
 * credential element in it — `credential` in the OB 3.0 namespace, `assertion` in the OB 2.0
 * namespace — resolving prefixes by their in-scope xmlns declarations (Namespaces in XML §6),
 * so `<ob:credential xmlns:ob="https://purl.imsglobal.org/ob/v3p0">` is found and a look-alike
 * `<openbadges:credential>` in another namespace is not.
 */
import { BakingError, type BakingLimits } from './errors.ts';
import { scanXml, type XmlStartTag } from './xml-scan.ts';

export const OB3_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
/** Seen in the wild from bakers that copied the context URL path; read, never written. */
const OB3_NAMESPACE_VARIANT = 'https://purl.imsglobal.org/spec/ob/v3p0';
export const OB2_NAMESPACE = 'http://openbadges.org';

export interface BakedSvgElement {
  readonly kind: 'ob3' | 'ob2';
  /** From the start of its start tag to the end of its end tag. */
  readonly start: number;
  readonly end: number;
  readonly verify?: string;
  /** Its character data and CDATA, references decoded, untrimmed. */
  readonly body: string;
}

export interface SvgLayout {
  readonly root: XmlStartTag;
  readonly baked: readonly BakedSvgElement[];
}

interface OpenElement {
  readonly name: string;
  readonly prefixes?: ReadonlyMap<string, string>;
}

/** Throws BakingError when the text is not a well-formed enough SVG to read safely. */
export function readSvgLayout(text: string, limits: Pick<BakingLimits, 'maxSvgDepth' | 'maxCredentialBytes'>): SvgLayout {
  let root: XmlStartTag | undefined;
  const baked: BakedSvgElement[] = [];
  const open: OpenElement[] = [];
  let collecting: { kind: 'ob3' | 'ob2'; tag: XmlStartTag; body: string } | undefined;
  for (const token of scanXml(text)) {
    if (collecting) {
      if (token.kind === 'text' || token.kind === 'cdata') {
        collecting.body += token.value;
        if (collecting.body.length > limits.maxCredentialBytes) {
          throw new BakingError('baked.credential-too-large', `The credential in this SVG is larger than ${limits.maxCredentialBytes} bytes.`);
        }
      } else if (token.kind === 'start') {
        throw new BakingError('baked.svg-malformed', 'A baked credential element in this SVG contains other elements.');
      } else if (token.kind === 'end') {
        if (token.name !== collecting.tag.name) throw mismatched(token.name);
        baked.push(bakedElement(collecting.kind, collecting.tag, token.end, collecting.body));
        collecting = undefined;
      }
      continue;
    }
    if (token.kind === 'text' && !root && token.value.trim() !== '') {
      throw new BakingError('baked.svg-malformed', 'This file has text before its root element; it is not an SVG image.');
    }
    if (token.kind === 'cdata' && !root) throw new BakingError('baked.svg-malformed', 'This file has CDATA before its root element.');
    if (token.kind === 'start') {
      if (!root) {
        if (localName(token.name) !== 'svg') throw new BakingError('baked.not-an-image', `The root element is <${token.name}>, not <svg>.`);
        root = token;
      }
      const element: OpenElement = { name: token.name, prefixes: prefixesOf(token) };
      const kind = bakedKind(token.name, [...open, element]);
      if (kind && token !== root) {
        if (token.selfClosing) baked.push(bakedElement(kind, token, token.end, ''));
        else collecting = { kind, tag: token, body: '' };
        continue;
      }
      if (token.selfClosing) {
        if (token === root) return { root, baked };
        continue;
      }
      if (open.length >= limits.maxSvgDepth) throw new BakingError('baked.svg-too-deep', `This SVG nests elements more than ${limits.maxSvgDepth} deep.`);
      open.push(element);
    } else if (token.kind === 'end') {
      const top = open.pop();
      if (!top || top.name !== token.name) throw mismatched(token.name);
      if (open.length === 0) return { root: root!, baked };
    }
  }
  if (!root) throw new BakingError('baked.not-an-image', 'This file holds no <svg> element.');
  throw new BakingError('baked.svg-malformed', 'This SVG ends before its root element is closed.');
}

function bakedElement(kind: 'ob3' | 'ob2', tag: XmlStartTag, end: number, body: string): BakedSvgElement {
  const verify = tag.attributes.get('verify');
  return verify === undefined ? { kind, start: tag.start, end, body } : { kind, start: tag.start, end, verify, body };
}

function bakedKind(name: string, scope: readonly OpenElement[]): 'ob3' | 'ob2' | undefined {
  const colon = name.indexOf(':');
  const local = colon < 0 ? name : name.slice(colon + 1);
  if (local !== 'credential' && local !== 'assertion') return undefined;
  const namespace = namespaceOf(colon < 0 ? '' : name.slice(0, colon), scope);
  if (local === 'credential' && (namespace === OB3_NAMESPACE || namespace === OB3_NAMESPACE_VARIANT)) return 'ob3';
  if (local === 'assertion' && namespace === OB2_NAMESPACE) return 'ob2';
  return undefined;
}

function namespaceOf(prefix: string, scope: readonly OpenElement[]): string | undefined {
  for (let i = scope.length - 1; i >= 0; i--) {
    const bound = scope[i]!.prefixes?.get(prefix);
    if (bound !== undefined) return bound;
  }
  return undefined;
}

function prefixesOf(tag: XmlStartTag): ReadonlyMap<string, string> | undefined {
  let prefixes: Map<string, string> | undefined;
  for (const [name, value] of tag.attributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) (prefixes ??= new Map()).set(name === 'xmlns' ? '' : name.slice(6), value);
  }
  return prefixes;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function mismatched(name: string): BakingError {
  return new BakingError('baked.svg-malformed', `The end tag </${name}> does not match the element it closes.`);
}

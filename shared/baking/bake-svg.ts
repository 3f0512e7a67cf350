/**
 * OB 3.0 §5.3.2.1: bake a credential into an SVG. The root <svg> gets
 * `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`, and directly after its start tag comes
 * one `<openbadges:credential>`: a VC-JWT in its `verify` attribute, or the JSON of a credential
 * with an embedded proof in a CDATA section. Existing OB 3.0 credential elements are replaced.
 */
import { assertBakeableCredential } from './credential-text.ts';
import { BakingError, bakingLimits, type BakingLimits } from './errors.ts';
import { OB3_NAMESPACE, readSvgLayout } from './svg-layout.ts';

const PREFIX_DECLARATION = 'xmlns:openbadges';

/** Returns the SVG text carrying `credential` (a compact VC-JWT or the credential's JSON text). Throws BakingError. */
export function bakeSvg(svg: string, credential: string, limits: Partial<BakingLimits> = {}): string {
  const bounds = bakingLimits(limits);
  const kind = assertBakeableCredential(credential, bounds);
  if (svg.length > bounds.maxImageBytes) throw new BakingError('baked.too-large', `The SVG is larger than ${bounds.maxImageBytes} bytes.`);
  const { root, baked } = readSvgLayout(svg, bounds);
  const rootBinding = root.attributes.get(PREFIX_DECLARATION);
  // A root that binds `openbadges` to another namespace (an OB 2.0 image) keeps it; ours is then declared on the element.
  const declareOnElement = rootBinding !== undefined && rootBinding !== OB3_NAMESPACE;
  const element = credentialElement(credential.trim(), kind, declareOnElement);

  let out = svg;
  for (const old of [...baked].reverse()) {
    if (old.kind === 'ob3') out = out.slice(0, old.start) + out.slice(old.end);
  }
  const tagClose = root.selfClosing ? root.end - 2 : root.end - 1;
  const rootAttribute = rootBinding === undefined ? ` ${PREFIX_DECLARATION}="${OB3_NAMESPACE}"` : '';
  const inserted = root.selfClosing ? `>\n${element}\n</${root.name}>` : `>\n${element}`;
  return out.slice(0, tagClose) + rootAttribute + inserted + out.slice(root.end);
}

function credentialElement(credential: string, kind: 'jwt' | 'json', declare: boolean): string {
  const namespace = declare ? ` ${PREFIX_DECLARATION}="${OB3_NAMESPACE}"` : '';
  if (kind === 'jwt') return `<openbadges:credential${namespace} verify="${credential}"></openbadges:credential>`;
  // A "]]>" inside the JSON would end the CDATA section early; split it across two sections.
  const cdata = credential.split(']]>').join(']]]]><![CDATA[>');
  return `<openbadges:credential${namespace}><![CDATA[${cdata}]]></openbadges:credential>`;
}

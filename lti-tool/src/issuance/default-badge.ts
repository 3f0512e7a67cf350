/**
 * The badge image used when a definition has none: an SVG with the title, EQF level and ECTS.
 * SVG only: no maintained pure-JS rasteriser is installed, so a PNG badge exists only when the
 * definition supplies a PNG image. Every text is XML-escaped; definitions come from instructors.
 */

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Splits the title into at most three lines of about `width` characters, the last one ellipsised. */
function titleLines(title: string, width = 22, max = 3): string[] {
  const words = title.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  const kept = lines.slice(0, max).map((l) => (l.length > width + 6 ? `${l.slice(0, width + 5)}…` : l));
  if (lines.length > max) kept[max - 1] = `${kept[max - 1]!.replace(/…$/, '')}…`;
  return kept.length > 0 ? kept : ['Micro-credential'];
}

export function defaultBadgeSvg(args: { title: string; eqf?: number | undefined; ects?: number | undefined }): string {
  const lines = titleLines(args.title);
  const facts = [args.eqf !== undefined ? `EQF ${args.eqf}` : undefined, args.ects !== undefined ? `${args.ects} ECTS` : undefined].filter(Boolean).join(' · ');
  const firstY = 150 - (lines.length - 1) * 14;
  const text = lines.map((l, i) => `<text x="150" y="${firstY + i * 28}" font-size="22" font-weight="600" text-anchor="middle" fill="#1d2430">${escapeXml(l)}</text>`).join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300" role="img">',
    `<title>${escapeXml(args.title)}</title>`,
    '<circle cx="150" cy="150" r="140" fill="#eef2ff" stroke="#1d4ed8" stroke-width="10"/>',
    '<text x="150" y="78" font-size="16" text-anchor="middle" fill="#1d4ed8" font-family="system-ui, sans-serif">MICRO-CREDENTIAL</text>',
    `<g font-family="system-ui, sans-serif">${text}</g>`,
    facts ? `<text x="150" y="238" font-size="18" text-anchor="middle" fill="#1d4ed8" font-family="system-ui, sans-serif">${escapeXml(facts)}</text>` : '',
    '</svg>',
  ].join('');
}

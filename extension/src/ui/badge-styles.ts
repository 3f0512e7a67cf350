/** The badge's and card's CSS, inside the shadow root: the page's styles cannot reach in, ours cannot leak out. */
import { VERDICT_STYLES } from './verdict-style.ts';

/** The colour follows the host's data-microcred-verdict, so a verdict change touches one attribute. */
const VERDICT_COLOURS = Object.entries(VERDICT_STYLES)
  .map(([verdict, style]) => `:host([data-microcred-verdict="${verdict}"]) button.badge { background: ${style.colour}; }`)
  .join('\n');

export const BADGE_CSS = `${VERDICT_COLOURS}
:host { all: initial; display: inline-block; position: relative; vertical-align: middle; margin-inline-start: 6px; font: 13px/1.35 system-ui, sans-serif; }
button.badge { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 999px; color: #fff; font: 600 12px/1.6 system-ui, sans-serif; white-space: nowrap; }
button.badge:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.card { position: absolute; z-index: 2147483647; top: calc(100% + 6px); inset-inline-start: 0; width: 340px; max-height: 420px; overflow: auto; box-sizing: border-box; padding: 12px 14px; background: #fff; color: #1f2328; border: 1px solid #d0d7de; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); text-align: start; white-space: normal; }
.verdict { margin: 0 0 4px; font-weight: 700; font-size: 14px; }
.summary { margin: 0 0 8px; }
dl { margin: 0 0 8px; }
.row { display: grid; grid-template-columns: 120px 1fr; gap: 6px; margin: 2px 0; }
dt { color: #59636e; }
dd { margin: 0; overflow-wrap: anywhere; }
dd ul, .checks { margin: 0; padding-inline-start: 16px; }
.name-matches { color: #1a7f37; } .name-differs { color: #b3261e; font-weight: 600; } .name-none { color: #59636e; }
.checks-title { margin: 6px 0 2px; font-weight: 600; }
.check { margin: 2px 0; overflow-wrap: anywhere; }
.check-failed { color: #b3261e; } .check-warning { color: #7d4e00; } .check-skipped { color: #59636e; }
.report { all: unset; display: inline-block; margin-top: 8px; color: #0969da; text-decoration: underline; cursor: pointer; }
.report:focus-visible { outline: 2px solid #0969da; }
`;

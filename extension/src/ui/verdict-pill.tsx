/** A small coloured verdict label for the extension's own pages (popup list, report header). */
import { verdictText, type VerdictWordsOf } from './verdict-text.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

export function VerdictPill(props: VerdictWordsOf) {
  const style = VERDICT_STYLES[props.verdict];
  return (
    <span class="pill" data-verdict={props.verdict} style={{ background: style.colour }}>
      <span aria-hidden="true">{style.icon} </span>
      {verdictText(props)}
    </span>
  );
}

export function reportPageUrl(runtimeUrl: (path: string) => string, reportKey: string): string {
  return runtimeUrl(`extension/src/report/index.html?key=${encodeURIComponent(reportKey)}`);
}

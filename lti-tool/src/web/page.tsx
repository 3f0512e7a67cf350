/**
 * The HTML shell every server-rendered page uses (they run inside the LMS iframe and on the open
 * web): preact rendered to a string, one stylesheet, no inline script, so the Content-Security-Policy
 * can forbid inline code everywhere.
 */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

export const STYLESHEET_PATH = '/assets/microcred.css';

export interface PageProps {
  readonly title: string;
  readonly lang?: string;
  /** Extra <head> children, e.g. <link rel="alternate" type="application/vc+jwt">. */
  readonly head?: ComponentChildren;
  /** Scripts served by the tool itself (never inline). */
  readonly scripts?: readonly string[];
  readonly children: ComponentChildren;
}

export function renderPage({ title, lang = 'en', head, scripts = [], children }: PageProps): string {
  return `<!doctype html>${renderToString(
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        {head}
      </head>
      <body>
        <main>{children}</main>
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </body>
    </html>,
  )}`;
}

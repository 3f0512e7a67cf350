/**
 * The inline badge: a host <span data-microcred-verdict="…"> placed right after the credential on
 * the page, with everything else in its shadow root. The root is open so accessibility tools and
 * tests can read it; it holds nothing secret, and a hostile page could paint a fake badge anyway.
 * The badge itself is plain DOM (fifty of them must cost well under the 5 ms budget); the card is
 * rendered with preact only when opened. Click or keyboard focus opens it; Escape or leaving closes it.
 */
import { render } from 'preact';
import type { CredentialView } from '../protocol.ts';
import { BADGE_CSS } from './badge-styles.ts';
import { CredentialCard } from './card.tsx';
import { t } from './i18n.ts';
import { verdictText } from './verdict-text.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

export interface BadgeHandle {
  readonly host: HTMLElement;
  update(view: CredentialView): void;
  remove(): void;
}

export interface BadgeOptions {
  readonly profileName: () => string | undefined;
  readonly openReport: (reportKey: string) => void;
}

let counter = 0;
let sharedSheet: CSSStyleSheet | undefined | null;
let template: DocumentFragment | undefined;

/** The badge's shadow content in its "Checking…" state, built once per page. */
function badgeTemplate(doc: Document): DocumentFragment {
  if (template) return template;
  template = doc.createDocumentFragment();
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'badge';
  button.setAttribute('aria-expanded', 'false');
  const pending = t('verdict_pending');
  button.setAttribute('aria-label', t('badgeLabel', pending));
  const icon = doc.createElement('span');
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = VERDICT_STYLES.pending.icon;
  const words = doc.createElement('span');
  words.textContent = pending;
  button.append(icon, words);
  template.append(button, doc.createElement('span'));
  return template;
}

export function mountBadge(anchor: Element, options: BadgeOptions): BadgeHandle {
  const doc = anchor.ownerDocument;
  const host = doc.createElement('span');
  host.setAttribute('data-microcred-verdict', 'pending');
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow);
  const id = `microcred-card-${++counter}`;
  // One native clone of a prepared template instead of a dozen DOM calls per badge.
  shadow.append((badgeTemplate(doc).cloneNode(true) as DocumentFragment));
  const button = shadow.firstElementChild as HTMLButtonElement;
  const icon = button.firstElementChild as HTMLElement;
  const words = button.lastElementChild as HTMLElement;
  const cardSlot = shadow.lastElementChild as HTMLElement;
  button.setAttribute('aria-controls', id);

  let view: CredentialView | undefined;
  let open = false;
  let openedByFocusAt = 0;

  const paint = () => {
    const style = VERDICT_STYLES[view?.verdict ?? 'pending'];
    const text = view ? verdictText(view) : t('verdict_pending');
    icon.textContent = style.icon;
    words.textContent = text;
    button.setAttribute('aria-label', t('badgeLabel', text));
  };
  const setOpen = (next: boolean) => {
    open = next && view !== undefined;
    button.setAttribute('aria-expanded', String(open));
    if (!open || !view) return render(null, cardSlot);
    const shown = view;
    render(<CredentialCard view={shown} id={id} profileName={options.profileName()} onOpenReport={() => options.openReport(shown.reportKey)} />, cardSlot);
  };

  // Four listeners on the shadow root rather than several per element: fifty badges per page.
  shadow.addEventListener('focusin', (event) => {
    if (event.target !== button) return;
    openedByFocusAt = performance.now();
    setOpen(true);
  });
  shadow.addEventListener('click', (event) => {
    // Nothing inside the badge may reach the page: the badge can sit inside the page's own link.
    event.stopPropagation();
    if (!button.contains(event.target as Node)) return;
    event.preventDefault();
    // A mouse click focuses first and clicks second: the click must not close what the focus opened.
    setOpen(performance.now() - openedByFocusAt < 400 ? true : !open);
  });
  shadow.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape') setOpen(false);
  });
  // On the shadow root, relatedTarget is not retargeted to the host: focus moving into the card stays "inside".
  shadow.addEventListener('focusout', (event) => {
    if (!shadow.contains((event as FocusEvent).relatedTarget as Node | null)) setOpen(false);
  });

  anchor.after(host);
  return {
    host,
    update(next) {
      view = next;
      host.setAttribute('data-microcred-verdict', next.verdict);
      paint();
      if (open) setOpen(true);
    },
    remove() {
      render(null, cardSlot);
      host.remove();
    },
  };
}

/** One constructed stylesheet for every badge (not subject to the page's style-src CSP); a <style> where unavailable. */
function adoptStyles(shadow: ShadowRoot): void {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(BADGE_CSS);
    } catch {
      sharedSheet = null;
    }
  }
  if (sharedSheet) {
    try {
      shadow.adoptedStyleSheets = [sharedSheet];
      return;
    } catch {
      sharedSheet = null;
    }
  }
  const style = shadow.ownerDocument.createElement('style');
  style.textContent = BADGE_CSS;
  shadow.append(style);
}

/**
 * The inline badge: a host <span data-microcred-verdict="…"> placed right after the credential on
 * the page, with everything else in its shadow root. The root is open so accessibility tools and
 * tests can read it; it holds nothing secret, and a hostile page could paint a fake badge anyway.
 * The badge itself is plain DOM (fifty of them must cost well under the 5 ms budget): one host with
 * its shadow tree is built per page and each badge is a native deep clone of it, so a badge costs a
 * handful of DOM calls; the card is rendered with preact only when opened. Click or keyboard focus
 * opens it; Escape or leaving closes it.
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
let prototypeHost: HTMLElement | undefined;

/**
 * The badge host in its "Checking…" state, built once per page. Its shadow root is clonable, so
 * cloneNode copies host, shadow root and content in one native call (Chrome 124+, Firefox 123+).
 */
function badgePrototype(doc: Document): HTMLElement {
  if (prototypeHost?.ownerDocument === doc) return prototypeHost;
  const host = doc.createElement('span');
  host.setAttribute('data-microcred-verdict', 'pending');
  fillShadow(host.attachShadow({ mode: 'open', clonable: true }), doc);
  return (prototypeHost = host);
}

/** The shadow content: the badge button (icon and words, named for assistive technology) and an empty card slot. */
function fillShadow(shadow: ShadowRoot, doc: Document): ShadowRoot {
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
  shadow.append(button, doc.createElement('span'));
  return shadow;
}

/** What one badge knows; the event handlers below are shared by every badge and find it through its host. */
interface BadgeState {
  readonly shadow: ShadowRoot;
  readonly button: HTMLButtonElement;
  readonly icon: Text;
  readonly words: Text;
  readonly cardSlot: HTMLElement;
  readonly id: string;
  readonly options: BadgeOptions;
  view: CredentialView | undefined;
  open: boolean;
  openedByFocusAt: number;
}

/** Keyed by the host: focus and key events are handled once per document, where their target is the host. */
const states = new WeakMap<EventTarget, BadgeState>();
const wiredDocuments = new WeakSet<Document>();

function setOpen(state: BadgeState, next: boolean): void {
  const { view, cardSlot, options } = state;
  state.open = next && view !== undefined;
  state.button.setAttribute('aria-expanded', String(state.open));
  if (!state.open || !view) return render(null, cardSlot);
  // Named only once there is a card to point at (and not fifty times at load).
  state.button.setAttribute('aria-controls', state.id);
  render(<CredentialCard view={view} id={state.id} profileName={options.profileName()} onOpenReport={() => options.openReport(view.reportKey)} />, cardSlot);
}

/*
 * Focus, focusout and Escape are listened for on the document (capture), not on each badge: they are
 * composed events, retargeted to the host there, and composedPath() still names the inner element.
 * Focus moving inside one badge (button → card) is not seen at the document at all (the event path
 * stops where target and relatedTarget meet), so "leaving" means leaving the badge.
 */
function onFocusIn(event: Event): void {
  const state = states.get(event.target!);
  if (!state || event.composedPath()[0] !== state.button) return;
  state.openedByFocusAt = performance.now();
  setOpen(state, true);
}

function onClick(event: Event): void {
  // Nothing inside the badge may reach the page: the badge can sit inside the page's own link.
  event.stopPropagation();
  // …nor its default action: inside a page link, a click on the card (its report button) would follow the link.
  event.preventDefault();
  const state = states.get((event.currentTarget as ShadowRoot).host);
  if (!state || !state.button.contains(event.target as Node)) return;
  // A mouse click focuses first and clicks second: the click must not close what the focus opened.
  setOpen(state, performance.now() - state.openedByFocusAt < 400 ? true : !state.open);
}

function onKeyDown(event: Event): void {
  const state = states.get(event.target!);
  if (state?.open && (event as KeyboardEvent).key === 'Escape') setOpen(state, false);
}

function onFocusOut(event: Event): void {
  const state = states.get(event.target!);
  if (state?.open && !state.shadow.contains((event as FocusEvent).relatedTarget as Node | null)) setOpen(state, false);
}

function wireDocument(doc: Document): void {
  if (wiredDocuments.has(doc)) return;
  wiredDocuments.add(doc);
  doc.addEventListener('focusin', onFocusIn, true);
  doc.addEventListener('focusout', onFocusOut, true);
  doc.addEventListener('keydown', onKeyDown, true);
}

/**
 * Puts a badge, checking, right after `anchor`: its host carries data-microcred-verdict and its
 * button the accessible name from the start.
 */
export function mountBadge(anchor: Element, options: BadgeOptions): BadgeHandle {
  const doc = anchor.ownerDocument;
  const host = badgePrototype(doc).cloneNode(true) as HTMLElement;
  // A browser without clonable shadow roots cloned the bare host: its shadow is built here instead.
  const shadow = host.shadowRoot ?? fillShadow(host.attachShadow({ mode: 'open' }), doc);
  const state = badgeState(host, shadow, `microcred-card-${++counter}`, options);
  anchor.after(host);
  return {
    host,
    update: (view) => paint(host, state, view),
    remove() {
      render(null, state.cardSlot);
      host.remove();
    },
  };
}

function paint(host: HTMLElement, state: BadgeState, view: CredentialView): void {
  state.view = view;
  host.setAttribute('data-microcred-verdict', view.verdict);
  const text = verdictText(view);
  state.icon.data = VERDICT_STYLES[view.verdict].icon;
  state.words.data = text;
  state.button.setAttribute('aria-label', t('badgeLabel', text));
  if (state.open) setOpen(state, true);
}

function badgeState(host: HTMLElement, shadow: ShadowRoot, id: string, options: BadgeOptions): BadgeState {
  const button = shadow.firstElementChild as HTMLButtonElement;
  const state: BadgeState = {
    shadow,
    button,
    // The verdict is repainted by rewriting these two text nodes: no nodes created or removed.
    icon: (button.firstElementChild as HTMLElement).firstChild as Text,
    words: (button.lastElementChild as HTMLElement).firstChild as Text,
    cardSlot: button.nextElementSibling as HTMLElement,
    id,
    options,
    view: undefined,
    open: false,
    openedByFocusAt: 0,
  };
  // After reading the content: a fallback <style> goes first in the shadow root.
  adoptStyles(shadow);
  states.set(host, state);
  wireDocument(host.ownerDocument);
  // Clicks stay on the shadow root: it keeps them from the page while the card's own buttons still get them.
  shadow.addEventListener('click', onClick);
  return state;
}

/**
 * One constructed stylesheet for every badge (not subject to the page's style-src CSP); a <style>
 * where unavailable. Set on each clone: cloning a shadow root does not copy its adopted sheets.
 */
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
  shadow.prepend(style);
}

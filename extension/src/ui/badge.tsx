/**
 * The inline badge: a host <span data-microcred-verdict="…"> placed right after the credential on
 * the page, with everything else in its shadow root. The root is open so accessibility tools and
 * tests can read it; it holds nothing secret, and a hostile page could paint a fake badge anyway.
 * The badge itself is plain DOM (fifty of them must cost well under the 5 ms budget): one host with
 * its shadow tree is built per page and each badge is a native deep clone of it, so a badge costs a
 * handful of DOM calls; the card (preact) is brought into the page and rendered only when one opens. Click or keyboard focus
 * opens it; Escape or leaving closes it.
 */
import type { CredentialView } from '../protocol.ts';
import { BADGE_CSS } from './badge-styles.ts';
import { loadedCardUi, type CardUi } from './card-ui-api.ts';
import { badgeWord } from './badge-words.ts';
import { verdictMessageKey, type VerdictWordsOf } from './verdict-text.ts';
import { VERDICT_STYLES } from './verdict-style.ts';

export interface BadgeHandle {
  readonly host: HTMLElement;
  update(view: CredentialView): void;
  remove(): void;
}

export interface BadgeOptions {
  readonly profileName: () => string | undefined;
  readonly openReport: (reportKey: string) => void;
  /** The card renderer, brought into the page when a card first opens (ui/card-ui-api.ts). */
  readonly loadCardUi: () => Promise<CardUi>;
}

let counter = 0;
let sharedSheet: CSSStyleSheet | undefined | null;
/** One prototype host per verdict wording, for the current document. */
let prototypes = new Map<string, HTMLElement>();
let prototypesOf: Document | undefined;

/**
 * A badge host already showing `view` ("Checking…" without one), built once per page and wording.
 * Its shadow root is clonable, so cloneNode copies host, shadow root and content in one native call
 * (Chrome 124+, Firefox 123+), and a verdict known before the badge goes in costs no repaint.
 */
function badgePrototype(doc: Document, view: VerdictWordsOf): HTMLElement {
  if (prototypesOf !== doc) {
    prototypes = new Map();
    prototypesOf = doc;
  }
  const key = verdictMessageKey(view);
  let host = prototypes.get(key);
  if (!host) {
    host = doc.createElement('span');
    fillShadow(host, host.attachShadow({ mode: 'open', clonable: true }), view);
    prototypes.set(key, host);
  }
  return host;
}

/** The verdict on the host, and in the shadow: the badge button (icon and words, named for assistive technology) and an empty card slot. */
function fillShadow(host: HTMLElement, shadow: ShadowRoot, view: VerdictWordsOf): ShadowRoot {
  const doc = host.ownerDocument;
  host.setAttribute('data-microcred-verdict', view.verdict);
  const word = badgeWord(view);
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'badge';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', word.label);
  const icon = doc.createElement('span');
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = VERDICT_STYLES[view.verdict].icon;
  const words = doc.createElement('span');
  words.textContent = word.text;
  button.append(icon, words);
  shadow.append(button, doc.createElement('span'));
  return shadow;
}

/**
 * What one badge knows; the event handlers below are shared by every badge and find it through its
 * host. Its inner elements are looked up when first needed (a repaint, a click), not at mount:
 * most badges are never repainted or opened.
 */
interface BadgeState {
  readonly host: HTMLElement;
  readonly shadow: ShadowRoot;
  readonly options: BadgeOptions;
  parts?: BadgeParts;
  view: CredentialView | undefined;
  open: boolean;
  openedByFocusAt: number;
}

interface BadgeParts {
  readonly button: HTMLButtonElement;
  readonly icon: Text;
  readonly words: Text;
  readonly cardSlot: HTMLElement;
  readonly id: string;
}

function partsOf(state: BadgeState): BadgeParts {
  if (state.parts) return state.parts;
  // After adoptStyles' fallback <style> (if any): the button is the first element after it.
  const button = state.shadow.querySelector('button.badge') as HTMLButtonElement;
  return (state.parts = {
    button,
    // The verdict is repainted by rewriting these two text nodes: no nodes created or removed.
    icon: (button.firstElementChild as HTMLElement).firstChild as Text,
    words: (button.lastElementChild as HTMLElement).firstChild as Text,
    cardSlot: button.nextElementSibling as HTMLElement,
    id: `microcred-card-${++counter}`,
  });
}

/** Keyed by the host: focus and key events are handled once per document, where their target is the host. */
const states = new WeakMap<EventTarget, BadgeState>();
const wiredDocuments = new WeakSet<Document>();

function setOpen(state: BadgeState, next: boolean): void {
  const { view, options } = state;
  const { button, cardSlot, id } = partsOf(state);
  state.open = next && view !== undefined;
  button.setAttribute('aria-expanded', String(state.open));
  if (!state.open || !view) return loadedCardUi()?.clear(cardSlot);
  // Named only once there is a card to point at (and not fifty times at load).
  button.setAttribute('aria-controls', id);
  const show = (ui: CardUi) => {
    // Still open on the same verdict when the renderer arrives (the first card waits for it).
    if (state.open && state.view === view) ui.show(cardSlot, { view, id, profileName: options.profileName(), onOpenReport: () => options.openReport(view.reportKey) });
  };
  const ui = loadedCardUi();
  if (ui) return show(ui);
  options.loadCardUi().then(show, (error: unknown) => console.warn('[microcred] the credential card could not be loaded', error));
}

/*
 * Focus, focusout and Escape are listened for on the document (capture), not on each badge: they are
 * composed events, retargeted to the host there, and composedPath() still names the inner element.
 * Focus moving inside one badge (button → card) is not seen at the document at all (the event path
 * stops where target and relatedTarget meet), so "leaving" means leaving the badge.
 */
function onFocusIn(event: Event): void {
  const state = states.get(event.target!);
  if (!state || event.composedPath()[0] !== partsOf(state).button) return;
  state.openedByFocusAt = performance.now();
  setOpen(state, true);
}

function onClick(event: Event): void {
  // Nothing inside the badge may reach the page: the badge can sit inside the page's own link.
  event.stopPropagation();
  // …nor its default action: inside a page link, a click on the card (its report button) would follow the link.
  event.preventDefault();
  const state = states.get((event.currentTarget as ShadowRoot).host);
  if (!state || !partsOf(state).button.contains(event.target as Node)) return;
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
 * Puts a badge right after `anchor`, showing `view` when the verdict is already known and
 * "Checking…" otherwise: its host carries data-microcred-verdict and its button the accessible name
 * from the start.
 */
export function mountBadge(anchor: Element, options: BadgeOptions, view?: CredentialView): BadgeHandle {
  const doc = anchor.ownerDocument;
  const shown: VerdictWordsOf = view ?? { verdict: 'pending' };
  const host = badgePrototype(doc, shown).cloneNode(true) as HTMLElement;
  // A browser without clonable shadow roots cloned the bare host: its shadow is built here instead.
  const shadow = host.shadowRoot ?? fillShadow(host, host.attachShadow({ mode: 'open' }), shown);
  adoptStyles(shadow);
  const state: BadgeState = { host, shadow, options, view, open: false, openedByFocusAt: 0 };
  states.set(host, state);
  wireDocument(doc);
  // Clicks stay on the shadow root: it keeps them from the page while the card's own buttons still get them.
  shadow.addEventListener('click', onClick);
  anchor.after(host);
  return {
    host,
    update: (next) => paint(state, next),
    remove() {
      if (state.parts) loadedCardUi()?.clear(state.parts.cardSlot);
      host.remove();
    },
  };
}

function paint(state: BadgeState, view: CredentialView): void {
  state.view = view;
  state.host.setAttribute('data-microcred-verdict', view.verdict);
  const word = badgeWord(view);
  const { icon, words, button } = partsOf(state);
  icon.data = VERDICT_STYLES[view.verdict].icon;
  words.data = word.text;
  button.setAttribute('aria-label', word.label);
  if (state.open) setOpen(state, true);
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

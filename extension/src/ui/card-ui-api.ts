/**
 * How a page badge reaches the card renderer (ui/card-ui.tsx), which is not part of the content
 * script: the card and preact are two fifths of the script, compiled on every page load for a card
 * most visits never open. The background worker injects the renderer into the same content-script
 * world when a card first opens, and it registers itself under this symbol.
 */
import type { CredentialView } from '../protocol.ts';

export const CARD_UI = Symbol.for('microcred.card-ui');

export interface CardProps {
  readonly view: CredentialView;
  readonly id: string;
  readonly profileName: string | undefined;
  readonly onOpenReport: () => void;
}

export interface CardUi {
  show(slot: HTMLElement, props: CardProps): void;
  clear(slot: HTMLElement): void;
}

/** The renderer, when it has been injected into this world. */
export function loadedCardUi(): CardUi | undefined {
  return (globalThis as Record<symbol, CardUi | undefined>)[CARD_UI];
}

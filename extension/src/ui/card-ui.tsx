/**
 * The card renderer for page badges, injected on demand into the content-script world by the
 * background worker (see card-ui-api.ts for why it is not part of the content script). Injected at
 * most once per page; a second injection keeps the first renderer.
 */
import { render } from 'preact';
import { CredentialCard } from './card.tsx';
import { CARD_UI, loadedCardUi, type CardUi } from './card-ui-api.ts';

if (!loadedCardUi()) {
  const ui: CardUi = {
    show(slot, { view, id, profileName, onOpenReport }) {
      render(<CredentialCard view={view} id={id} profileName={profileName} onOpenReport={onOpenReport} />, slot);
    },
    clear(slot) {
      render(null, slot);
    },
  };
  (globalThis as Record<symbol, CardUi>)[CARD_UI] = ui;
}

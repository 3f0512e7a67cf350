/** Bundled (IIFE) into a plain page by badge.test.ts: mounts real badges beside the page's links. */
import './i18n-stub.ts';
import type { CredentialView } from '../../extension/src/protocol.ts';
import { mountBadge, type BadgeHandle } from '../../extension/src/ui/badge.tsx';
import { loadedCardUi } from '../../extension/src/ui/card-ui-api.ts';
// The renderer the worker injects into the page in the extension; here it is simply part of the bundle.
import '../../extension/src/ui/card-ui.tsx';

const handles: BadgeHandle[] = [];
const reports: string[] = [];

Object.assign(globalThis, {
  microcredMount(selector: string) {
    for (const anchor of document.querySelectorAll(selector)) handles.push(mountBadge(anchor, { profileName: () => 'Maria Schneider', openReport: (key) => reports.push(key), loadCardUi: async () => loadedCardUi()! }));
    return handles.length;
  },
  microcredUpdate(index: number, view: CredentialView) {
    handles[index]!.update(view);
  },
  microcredReports() {
    return reports;
  },
});

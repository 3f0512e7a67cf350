/**
 * The few extension APIs the content script calls, taken straight from the browser (`browser` in
 * Firefox, `chrome` in Chromium) instead of through webextension-polyfill: loading the polyfill's
 * wrappers on every page cost more than finding fifty credentials, and none of these calls needs
 * a promise (connect and onMessage with a synchronous sendResponse behave alike in both browsers).
 */
export interface ContentPort {
  postMessage(message: unknown): void;
  readonly onMessage: { addListener(listener: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(listener: () => void): void };
}

export interface ContentScriptApi {
  readonly runtime: {
    readonly id?: string;
    connect(info: { name: string }): ContentPort;
    readonly onMessage: { addListener(listener: (message: unknown, sender: unknown, sendResponse: (response: unknown) => void) => boolean | undefined): void };
  };
}

export function contentScriptApi(): ContentScriptApi {
  const scope = globalThis as { browser?: ContentScriptApi; chrome?: ContentScriptApi };
  return scope.browser?.runtime?.id ? scope.browser : scope.chrome!;
}

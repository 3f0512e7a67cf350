/**
 * When this content script began evaluating its modules. main.ts imports it first, so the
 * main-thread time it publishes includes loading its own code (detectors, badge, card), not just
 * the work it does once loaded. Compiling the bundle happens before any of it runs and is not counted.
 */
export const SCRIPT_STARTED_AT = performance.now();

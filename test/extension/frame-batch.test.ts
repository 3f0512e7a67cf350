/** Verdict repaints coalesced per animation frame (content/frame-batch.ts), and the ASCII fast path of foldText. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { foldText } from '../../extension/src/content/dom-query.ts';
import { createFrameBatch, nextFrameOrTimeout } from '../../extension/src/content/frame-batch.ts';

describe('verdict repaints, one batch per frame', () => {
  test('when verdicts arrive in several messages before a frame, then they are applied once, together, the latest per key', () => {
    const frames: (() => void)[] = [];
    const applied: [string, string][][] = [];
    const batch = createFrameBatch<string, string>((items) => applied.push([...items]), (run) => frames.push(run));
    batch.add('a', 'pending');
    batch.add('b', 'verified');
    batch.add('a', 'revoked');
    expect(frames).toHaveLength(1);
    expect(applied).toEqual([]);
    frames.shift()!();
    expect(applied).toEqual([[['a', 'revoked'], ['b', 'verified']]]);
    expect(batch.size).toBe(0);
  });

  test('when a verdict arrives after a batch ran, then a new frame is asked for; an empty frame applies nothing', () => {
    const frames: (() => void)[] = [];
    const applied: number[] = [];
    const batch = createFrameBatch<string, number>((items) => applied.push(items.size), (run) => frames.push(run));
    batch.add('a', 1);
    frames.shift()!();
    batch.add('b', 2);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(applied).toEqual([1, 1]);
  });
});

describe('nextFrameOrTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  test('when the tab is hidden (no frames come), then the timer runs the batch, once', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    const run = vi.fn();
    nextFrameOrTimeout(100)(run);
    vi.advanceTimersByTime(99);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('when a frame comes first, then the later timer does not run it again', () => {
    vi.useFakeTimers();
    let frame: (() => void) | undefined;
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => ((frame = cb), 1));
    const run = vi.fn();
    nextFrameOrTimeout(100)(run);
    frame!();
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('foldText', () => {
  test('ASCII text folds exactly as the Unicode path would (case, runs of white space, trim)', () => {
    const slow = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
    for (const text of ['  Licenses &amp; Certifications ', 'Show\tcredential\n', "Afficher l'identifiant", 'A  B', '', 'x\u000by'])
      expect(foldText(text)).toBe(slow(text));
  });

  test('accents and typographic quotes are still folded', () => {
    expect(foldText('Afficher l’identifiant')).toBe("afficher l'identifiant");
    expect(foldText('  Licences & Certifications  Zertifikát ')).toBe('licences & certifications zertifikat');
  });
});

/** Badge construction deferred to idle time (content/idle-queue.ts), with a scripted idle scheduler. */
import { describe, expect, test } from 'vitest';
import { createIdleQueue, type IdleDeadlineLike } from '../../extension/src/content/idle-queue.ts';

function scriptedIdle() {
  const runs: ((deadline?: IdleDeadlineLike) => void)[] = [];
  return { runs, schedule: (run: (deadline?: IdleDeadlineLike) => void) => void runs.push(run) };
}

/** A deadline that has `budget` items' worth of time: each timeRemaining() call after an item costs one. */
const deadline = (budget: number): IdleDeadlineLike => ({ timeRemaining: () => (budget-- > 0 ? 10 : 0) });

describe('work deferred to idle periods', () => {
  test('when items are added, then one idle run is asked for, and it does as many as its deadline allows', () => {
    const idle = scriptedIdle();
    const done: number[] = [];
    const queue = createIdleQueue<number>((n) => done.push(n), { schedule: idle.schedule });
    for (let i = 0; i < 5; i++) queue.add(i);
    expect(idle.runs).toHaveLength(1);
    expect(done).toEqual([]);
    idle.runs.shift()!(deadline(2));
    expect(done).toEqual([0, 1, 2]);
    expect(queue.size).toBe(2);
    // What is left waits for the next idle period.
    expect(idle.runs).toHaveLength(1);
    idle.runs.shift()!(deadline(10));
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(idle.runs).toHaveLength(0);
  });

  test('when the idle period has no time left, then still one item is done (progress on a page that is never idle)', () => {
    const idle = scriptedIdle();
    const done: string[] = [];
    const queue = createIdleQueue<string>((s) => done.push(s), { schedule: idle.schedule });
    queue.add('a');
    queue.add('b');
    idle.runs.shift()!(deadline(0));
    expect(done).toEqual(['a']);
    expect(queue.size).toBe(1);
  });

  test('when the timeout fires instead (no deadline), then items are done in one slice of time, inside the measuring wrapper, and the rest later', () => {
    const idle = scriptedIdle();
    const done: number[] = [];
    let measured = 0;
    let clock = 0;
    // Each item takes 1.5 ms on this clock; a slice is 4 ms.
    const queue = createIdleQueue<number>((n) => { done.push(n); clock += 1.5; }, { schedule: idle.schedule, now: () => clock, sliceMs: 4, measure: (work) => { measured++; work(); } });
    for (let i = 0; i < 5; i++) queue.add(i);
    idle.runs.shift()!();
    expect([done, measured, queue.size, idle.runs.length]).toEqual([[0, 1, 2], 1, 2, 1]);
    // A long idle period is sliced the same way.
    idle.runs.shift()!(deadline(100));
    expect([done, measured, queue.size]).toEqual([[0, 1, 2, 3, 4], 2, 0]);
  });
});

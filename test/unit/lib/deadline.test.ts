import { describe, expect, it } from 'vitest';
import { DeadlineError, RunDeadline, withDeadline } from '../../../src/lib/deadline.js';

describe('deadlines', () => {
  it('gives steps a soft deadline a margin before the hard one', () => {
    const d = new RunDeadline(3000);
    expect(d.marginMs).toBeGreaterThan(0);
    expect(d.remainingMs()).toBeLessThanOrEqual(3000 - d.marginMs);
    expect(d.budget(60_000)).toBeLessThanOrEqual(3000 - d.marginMs);
    expect(d.budget(10)).toBe(10);
  });

  it('aborts the soft signal before the hard one', async () => {
    const d = new RunDeadline(50);
    await new Promise<void>((resolve) => d.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(d.signal.aborted).toBe(true);
    expect(d.hardSignal.aborted).toBe(false);
  });

  it('turns a step that never settles into a DeadlineError naming it', async () => {
    await expect(withDeadline(new Promise(() => {}), 5, 'sts')).rejects.toBeInstanceOf(DeadlineError);
    await expect(withDeadline(Promise.resolve(7), 50, 'sts')).resolves.toBe(7);
  });
});

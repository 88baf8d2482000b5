import { describe, expect, it } from 'vitest';
import { WakeUps } from '../../../../src/launcher/wait/wake-ups.js';

describe('WakeUps', () => {
  it('waits until something is pushed', async () => {
    const w = new WakeUps();
    let got: string | undefined;
    const next = w.next().then((n) => {
      got = n;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toBeUndefined();
    w.push('watch');
    await next;
    expect(got).toBe('look');
  });

  it('merges reasons to look: many watch events and ticks during a look ask for one more', async () => {
    const w = new WakeUps();
    w.push('watch');
    w.push('poll');
    w.push('watch');
    expect(await w.next()).toBe('look');
    let second = false;
    void w.next().then(() => {
      second = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBe(false);
  });

  it('an end wins over a pending look, and the first end is the one kept', async () => {
    const w = new WakeUps();
    w.push('watch');
    w.push('limit');
    w.push('abort');
    expect(await w.next()).toBe('limit');
    expect(await w.next()).toBe('limit');
    expect(await w.ended).toBe('limit');
  });

  it('`ended` settles as soon as an end is pushed, for a loop busy with a look', async () => {
    const w = new WakeUps();
    const lookInFlight = new Promise<'look done'>(() => undefined);
    setTimeout(() => w.push('abort'), 5);
    expect(await Promise.race([lookInFlight, w.ended])).toBe('abort');
  });
});

/** Why the wait loop wakes up: something may have changed (a watch event, a poll tick), or it must end. */
export type WakeUp = 'watch' | 'poll' | 'abort' | 'limit';

/** What the loop does next: look at the Job again, or end. */
export type Next = 'look' | 'abort' | 'limit';

/**
 * The wait loop's inbox: watches and timers push, the loop takes one wake-up at a time. Reasons to
 * look merge (any number of watch events and poll ticks during a look ask for one more look, not
 * one each), and an end (abort, limit) wins over a pending look; the first end pushed is the one kept.
 */
export class WakeUps {
  private lookPending = false;
  private end: 'abort' | 'limit' | undefined;
  private wake: (() => void) | undefined;
  private endWith!: (end: 'abort' | 'limit') => void;
  /** Settles with the first end pushed, so the loop can stop waiting on a look in flight. */
  readonly ended = new Promise<'abort' | 'limit'>((resolve) => {
    this.endWith = resolve;
  });

  push(w: WakeUp): void {
    if (w === 'abort' || w === 'limit') {
      if (this.end) return;
      this.end = w;
      this.endWith(w);
    } else this.lookPending = true;
    this.wake?.();
  }

  /** The next thing to do, waiting until something is pushed if nothing is pending. */
  async next(): Promise<Next> {
    for (;;) {
      if (this.end) return this.end;
      if (this.lookPending) {
        this.lookPending = false;
        return 'look';
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

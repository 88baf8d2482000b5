/** How often the meter looks at the clock; a tick this late or later counts as a stall. */
const TICK_MS = 20;

export interface LoopStallMeter {
  /** Stops measuring; returns how long, in total, the event loop could not run timers in time. */
  stop(): number;
}

/**
 * Measures how long this process was starved while something waited on a timer: a process blocked by
 * other work on the event loop, or descheduled on busy cores, sees its timers fire late, and a network
 * answer that arrived meanwhile may sit unread while a timeout fires first. A timeout measured under
 * such a stall says nothing about the peer. (Ticks are unref'd: the meter never keeps the process alive.)
 */
export function loopStallMeter(): LoopStallMeter {
  let stalled = 0;
  let last = performance.now();
  const account = () => {
    const now = performance.now();
    stalled += Math.max(0, now - last - TICK_MS);
    last = now;
  };
  const tick = setInterval(account, TICK_MS);
  tick.unref();
  return {
    stop() {
      clearInterval(tick);
      // The stretch since the last tick counts too: the timeout that ends a wait may run before it.
      account();
      return Math.round(stalled);
    },
  };
}

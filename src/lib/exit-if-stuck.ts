import { exitNow } from './exit-now.js';

/**
 * After the report is written, a socket an SDK left open (an agent that accepted a connection and
 * never answered) or a file system call that never returns (a FIFO) must not keep the process alive
 * past the run's deadline. The timer is unref'd: it fires only when something else still holds the
 * event loop open, and exitNow() ends the process even if that something is a stuck worker thread.
 */
export function exitIfStuck(code: number, graceMs = 200): void {
  setTimeout(() => exitNow(code), graceMs).unref();
}

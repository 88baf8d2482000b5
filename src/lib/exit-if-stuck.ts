/**
 * After the report is written, a socket an SDK left open (an agent that accepted a connection and
 * never answered) must not keep the process alive past the run's deadline. The timer is unref'd:
 * it fires only when something else still holds the event loop open.
 */
export function exitIfStuck(code: number, graceMs = 200): void {
  setTimeout(() => process.exit(code), graceMs).unref();
}

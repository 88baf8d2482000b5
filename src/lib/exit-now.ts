// Requests that occupy one of libuv's worker threads until the system call returns.
const WORKER_REQUESTS = /^(FSReq|GetAddrInfo|GetNameInfo)/;

/**
 * Ends the process now with `code`, whatever it is still waiting on.
 *
 * process.exit() joins libuv's worker threads on the way out, and a worker blocked in a system call
 * that never returns (open() of a FIFO nobody writes, a read from a dead network mount) keeps it
 * there: the process prints its report and then never exits. When such a request is pending, the
 * process replaces itself with a Node that does nothing but exit with the code: execve() ends every
 * thread without waiting for it, and keeps the pid, the open stdout/stderr and so the exit status the
 * caller sees. Otherwise (or where execve is unavailable) it is a plain process.exit().
 */
export function exitNow(code: number): never {
  const stuck = process.getActiveResourcesInfo().some((r) => WORKER_REQUESTS.test(r));
  if (stuck && typeof process.execve === 'function') {
    try {
      // An empty environment: no NODE_OPTIONS or NODE_EXTRA_CA_CERTS for the stand-in to trip on.
      process.execve(process.execPath, [process.execPath, '-e', `process.exit(${Math.trunc(code)})`], {});
    } catch {
      // execve refused (a sandbox): fall through to the ordinary exit.
    }
  }
  process.exit(code);
}

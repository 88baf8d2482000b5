// Test fixture, loaded into the CLI under test with NODE_OPTIONS=--import (never by the product): starves
// the process the way a busy node does, deterministically. When an HTTP request whose path contains
// IRSA_TEST_STARVE_PATH starts, the event loop is blocked for IRSA_TEST_STARVE_MS right after (timers and
// sockets already armed), IRSA_TEST_STARVE_TIMES times ("all": every such request; default once).
import { subscribe } from 'node:diagnostics_channel';

const ms = Number(process.env.IRSA_TEST_STARVE_MS ?? 0);
const path = process.env.IRSA_TEST_STARVE_PATH ?? '';
let times =
  process.env.IRSA_TEST_STARVE_TIMES === 'all'
    ? Number.POSITIVE_INFINITY
    : Number(process.env.IRSA_TEST_STARVE_TIMES ?? 1);

if (ms > 0 && path)
  subscribe('http.client.request.start', ({ request }) => {
    if (times <= 0 || !String(request.path).includes(path)) return;
    times -= 1;
    setImmediate(() => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        // busy: nothing else in this process runs
      }
    });
  });

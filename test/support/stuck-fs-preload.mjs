// Test fixture, loaded into the CLI under test with NODE_OPTIONS=--import (never by the product): opens
// the FIFO named by IRSA_TEST_STUCK_FIFO, which nobody writes, so one libuv worker stays blocked in
// open() for the whole run, as a dead network mount or a hostile file would block it. The product must
// still print its report and exit by its deadline.
import { promises as fsp } from 'node:fs';

const fifo = process.env.IRSA_TEST_STUCK_FIFO;
if (fifo) fsp.open(fifo, 'r').catch(() => undefined);

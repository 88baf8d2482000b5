// Test fixture, loaded into the CLI under test with NODE_OPTIONS=--import (never by the product):
// writes the process's peak resident set size (KiB) to the file named by IRSA_TEST_MAX_RSS_FILE when
// it exits, so a scenario can assert the memory a hostile peer cost.
import { writeFileSync } from 'node:fs';

const out = process.env.IRSA_TEST_MAX_RSS_FILE;
if (out)
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS));
  });

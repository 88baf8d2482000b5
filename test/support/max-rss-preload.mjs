// Test fixture, loaded into the CLI under test with NODE_OPTIONS=--import (never by the product):
// writes the process's peak resident set size (KiB) and the time it exits (epoch ms) as JSON to the file
// named by IRSA_TEST_MAX_RSS_FILE, so a scenario can assert the memory a hostile peer cost and how long
// after the run started (the report's startedAt) the process ended.
//
// VmHWM from /proc/self/status, not getrusage's maxRSS: Linux carries ru_maxrss across fork and exec,
// so a child spawned by a test worker that holds 200 MB reports at least that, whatever it used itself.
// Elsewhere (no /proc) process.resourceUsage() is the best there is.
import { readFileSync, writeFileSync } from 'node:fs';

function peakKib() {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // no procfs
  }
  return process.resourceUsage().maxRSS;
}

const out = process.env.IRSA_TEST_MAX_RSS_FILE;
if (out)
  process.on('exit', () => {
    writeFileSync(out, JSON.stringify({ peakKib: peakKib(), exitAt: Date.now() }));
  });

// Fallback peak-RSS probe for machines without GNU time: `node --import bench/max-rss-preload.mjs ...`.
// Writes process.resourceUsage().maxRSS (KiB) to fd 3 when the process exits; silent if fd 3 is closed.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // not run by the bench: nothing to report to
  }
});

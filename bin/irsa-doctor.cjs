#!/usr/bin/env node
// The `irsa-doctor` command. It checks the Node version before loading the bundle (built into dist/
// by `npm run build`, which `npm ci` runs through `prepare`): the bundle needs Node 22.19+, and an
// older Node would otherwise crash inside a dependency with an unrelated TypeError.
// Exit 2 when it cannot start (Node too old, no bundle), like a usage error: nothing was checked.
'use strict';
const { nodeVersionProblem } = require('./node-version-problem.cjs');

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
import('../dist/irsa-doctor.mjs').catch((err) => {
  // No optional chaining in this file: Node 10 must parse it to reach the version check above.
  const message = err instanceof Error ? err.message : String(err);
  const missing = err instanceof Error && /Cannot find module .*dist[\\/]irsa-doctor\.mjs/.test(message);
  process.stderr.write(
    missing
      ? 'irsa-doctor: dist/irsa-doctor.mjs is missing; in a clone, run npm ci (or npm run build)\n'
      : `irsa-doctor: cannot start: ${message.split('\n')[0]}\n`,
  );
  process.exitCode = 2;
});

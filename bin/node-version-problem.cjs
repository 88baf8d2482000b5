// What the bundle needs from Node, checked before it loads. CommonJS in syntax that Node 10 still
// parses, because its users are exactly the people running an old Node.
'use strict';

// The launcher bundles undici 8 (through @kubernetes/client-node), which declares Node >= 22.19 and
// calls zlib.createZstdDecompress at load time: on an older Node the bundle dies with a TypeError
// ("reading 'bind'"). package.json's engines.node says the same; a test keeps them equal.
const MINIMUM = [22, 19, 0];

/**
 * One line saying what to install when `version` (process.versions.node) is older than the bundle
 * needs, else undefined. A version it cannot parse is let through: better the bundle's own error
 * than refusing a Node we do not understand.
 */
function nodeVersionProblem(version, execPath) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  if (!match) return undefined;
  const found = [Number(match[1]), Number(match[2]), Number(match[3])];
  for (let i = 0; i < MINIMUM.length; i++) {
    if (found[i] > MINIMUM[i]) return undefined;
    if (found[i] < MINIMUM[i]) {
      const where = execPath ? ` (${execPath})` : '';
      return `irsa-doctor: needs Node.js ${MINIMUM[0]}.${MINIMUM[1]} or later, but this is Node.js ${found.join('.')}${where}; install Node.js ${MINIMUM[0]} LTS or newer from https://nodejs.org or your package manager`;
    }
  }
  return undefined;
}

module.exports = { MINIMUM_NODE: MINIMUM.join('.'), nodeVersionProblem };

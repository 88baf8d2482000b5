import { mapStacksWhenDebugging } from '../cli/debug-source-maps.js';

// Entry point of dist/agent.mjs. The program itself is imported after --debug had its say (see
// debug-source-maps.ts), which also keeps this file, the one Node starts with, a few lines long.
const argv = process.argv.slice(2);
mapStacksWhenDebugging(argv);
(await import('./agent-main.js')).agentMain(argv);

import { mapStacksWhenDebugging } from './cli/debug-source-maps.js';

const argv = process.argv.slice(2);
mapStacksWhenDebugging(argv);
(await import('./cli-main.js')).cliMain(argv);

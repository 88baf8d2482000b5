/**
 * The bundles are minified; with --debug anywhere on the command line, stack traces are mapped back to
 * the sources through the .map files beside them. Node reads a module's map only when it compiles the
 * module, so an entry point calls this first and imports the rest of the program afterwards. Without
 * --debug nothing changes: no map is read.
 */
export function mapStacksWhenDebugging(argv: readonly string[]): void {
  if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
}

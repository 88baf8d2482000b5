import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../src/agent/registry.js';

// Check.sdkFree promises that a check never reaches the AWS SDK, so a run of such checks alone does not
// load it before the checks start (src/agent/command.ts). If one did reach it, the SDK would load in the
// middle of the run, inside other checks' timed waits. Judged on the sources' import graph.
const SRC = resolve('src/agent');
const SDK_DOOR = resolve('src/agent/aws/agent-sdk.ts');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every source file `file` imports at run time (type-only imports load nothing), transitively. */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*?from '(\.[^']+)'/gms)) {
    const target = resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'));
    if (existsSync(target)) runtimeImports(target, seen);
  }
  return seen;
}

/** The file that defines the check with this id. */
function sourceOf(id: string): string {
  const found = files(SRC).filter((f) =>
    new RegExp(`: Check = \\{\\s*id: '${id}',`).test(readFileSync(f, 'utf8')),
  );
  expect(found, `the source of check ${id}`).toHaveLength(1);
  return found[0]!;
}

describe('Check.sdkFree', () => {
  it('is set exactly on the checks whose code never reaches the AWS SDK', () => {
    const reaches = Object.fromEntries(
      ALL_CHECKS.map((c) => [c.id, runtimeImports(sourceOf(c.id)).has(SDK_DOOR)]),
    );
    const flagged = Object.fromEntries(ALL_CHECKS.map((c) => [c.id, !c.sdkFree]));
    expect(flagged).toEqual(reaches);
    // Not vacuous: some checks need the SDK, some do not.
    expect(Object.values(reaches)).toContain(true);
    expect(Object.values(reaches)).toContain(false);
  });

  it('no module outside the SDK door imports an AWS SDK package at its top', () => {
    const direct = files(SRC).filter(
      (f) =>
        !f.endsWith('sdk-modules.ts') &&
        /^import (?!type )[^;]*?from '@(aws-sdk|smithy)\//ms.test(readFileSync(f, 'utf8')),
    );
    expect(direct).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../../../src/launcher/args/parse-run-args.js';
import { parseWorkloadRef, workloadRefText } from '../../../../src/launcher/workload/workload-ref.js';

describe('parseWorkloadRef', () => {
  it.each([
    ['deploy/camunda-identity', 'Deployment', 'camunda-identity'],
    ['deployment.apps/a', 'Deployment', 'a'],
    ['sts/camunda-zeebe', 'StatefulSet', 'camunda-zeebe'],
    ['StatefulSets/x.y', 'StatefulSet', 'x.y'],
    ['job/migrate', 'Job', 'migrate'],
  ])('%s', (raw, kind, name) => {
    expect(parseWorkloadRef(raw)).toEqual({ kind, name });
  });

  it.each([
    'camunda-identity',
    'pod/x',
    'deploy/',
    'deploy/Upper',
    'deploy/a/b',
    'ds/x',
  ])('refuses %s', (raw) => {
    expect(parseWorkloadRef(raw)).toBeUndefined();
  });

  it("prints kubectl's short form", () => {
    expect(workloadRefText({ kind: 'StatefulSet', name: 'z' })).toBe('sts/z');
  });
});

describe('run --workload flags', () => {
  it('takes the workload instead of -s', () => {
    expect(parseRunArgs(['-n', 'camunda', '--workload', 'deploy/identity']).workload).toEqual({
      kind: 'Deployment',
      name: 'identity',
    });
  });

  it.each([
    [['--workload', 'deploy/a', '-s', 'sa'], /without -s/],
    [['--workload', 'deploy/a', '--all'], /without -s/],
    [['--workload', 'deploy/a', '--dry-run'], /--dry-run contacts no cluster/],
    [['--workload', 'pod/a'], /--workload must be deploy\/NAME/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseRunArgs(argv)).toThrow(message);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { startBlackhole } from '../harness/net-fixtures.js';
import { schemaErrors } from '../support/report-schema.js';
import { runAgent } from '../support/run-agent.js';

// Every endpoint the agent talks to accepts connections and never answers. Whatever --timeout says,
// each check must still come back with a finding (a timeout is a diagnosis), not be cut off as error.
describe('a run where every endpoint is blackholed', () => {
  let eks: EksStack;
  let hole: Awaited<ReturnType<typeof startBlackhole>>;

  beforeAll(async () => {
    eks = await startEksStack();
    hole = await startBlackhole();
  });
  afterAll(async () => {
    await hole?.close();
    await eks?.close();
  });

  for (const timeout of ['3', '5']) {
    it(`reports findings, not errors, with --timeout ${timeout}`, async () => {
      const at = `http://${hole.host}:${hole.port}`;
      const env = await eks.podEnv({
        extra: { AWS_ENDPOINT_URL_STS: at, AWS_EC2_METADATA_SERVICE_ENDPOINT: at },
      });
      const run = await runAgent(env, [
        '--timeout',
        timeout,
        '--postgres',
        `${hole.host}:${hole.port}`,
        '--postgres-user',
        'zeebe',
        '--opensearch',
        `https://${hole.host}:${hole.port}`,
      ]);
      expect(schemaErrors(run.report)).toEqual([]);
      const errored = run.report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.error}`);
      expect(errored).toEqual([]);
      expect(run.finding('STS-UNREACHABLE')?.status).toBe('fail');
      expect(run.findings.filter((f) => f.code === 'NET-TIMEOUT').length).toBeGreaterThanOrEqual(2);
      expect(run.code).toBe(1);
    });
  }
});

// `irsa-doctor camunda` for CI: -o sarif, junit and markdown (the renderers every command shares, each
// component as its Camunda configuration and its agent or audit report), --fail-on and --ignore /
// IRSA_DOCTOR_IGNORE, on the chart emulator's objects in the loopback Kubernetes API (--no-pods: reads
// only). Each scenario has a namespace of its own.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log, Result } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CamundaWorld,
  install,
  put,
  remove,
  runCamunda,
  spawnCli,
  startCamundaWorld,
} from '../support/camunda-world.js';
import { sarifErrors } from '../support/sarif-schema.js';

let w: CamundaWorld;
beforeAll(async () => {
  w = await startCamundaWorld();
});
afterAll(() => w?.close());

let n = 0;
const ns = (what: string) => `${what}-${++n}`;

/** 8.8 whose identity component names a ServiceAccount that is not there: CAMUNDA-SA-MISSING, a fail. */
function missingServiceAccount(what: string): string {
  const namespace = ns(what);
  install(w, '8.8', { namespace });
  remove(w, 'ServiceAccount', namespace, 'identity-sa');
  return namespace;
}

/** 8.8 whose keycloak ServiceAccount has no role: CAMUNDA-SA-NOT-ANNOTATED, a warning. */
function bareServiceAccount(what: string): string {
  const namespace = ns(what);
  const f = install(w, '8.8', { namespace });
  const sa = f.serviceAccounts.find((s) => s.metadata.name === 'keycloak-sa')!;
  put(w, { ...sa, metadata: { ...sa.metadata, annotations: {} } });
  return namespace;
}

const xml = (s: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase' || n === 'testsuite',
  }).parse(s);

interface Suite {
  name: string;
  tests: string;
  failures: string;
  testcase: Array<{ name: string; classname: string; failure?: { type: string; '#text': string } }>;
}

describe('camunda -o sarif, junit, markdown', () => {
  it('-o sarif is valid SARIF 2.1.0: the component finding located at its ServiceAccount, its rule linked to docs/codes.md', async () => {
    const namespace = missingServiceAccount('sarif');
    const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as Log;
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules?.find((x) => x.id === 'CAMUNDA-SA-MISSING');
    expect(rule?.helpUri).toMatch(/docs\/codes\.md#camunda-sa-missing$/);
    expect(rule?.shortDescription?.text).toBeTruthy();
    const results = run.results ?? [];
    const missing = results.filter((x) => x.ruleId === 'CAMUNDA-SA-MISSING');
    expect(missing).toHaveLength(1);
    const m = missing[0]!;
    expect(m.level).toBe('error');
    expect(m.message.text).toContain('Fix: ');
    expect(m.message.text).toContain('identity.serviceAccount.enabled: true');
    expect(m.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(`${namespace}/identity-sa`);
    expect(m.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      `api/v1/namespaces/${namespace}/serviceaccounts/identity-sa`,
    );
    expect(m.properties).toMatchObject({ status: 'fail', check: 'camunda' });
    // The deployment's own finding (the release read) is a note about no ServiceAccount.
    const release = results.find((x) => x.ruleId === 'CAMUNDA-RELEASE') as Result;
    expect(release.level).toBe('note');
    expect(release.locations).toBeUndefined();
    // Passes are no results; every result is told apart from the others.
    expect(results.map((x) => x.ruleId)).not.toContain('CAMUNDA-COMPONENT-OK');
    const prints = results.flatMap((x) => Object.values(x.partialFingerprints ?? {}));
    expect(new Set(prints).size).toBe(prints.length);
    expect(run.properties).toMatchObject({ verdict: 'fail' });
  });

  it('-o junit: a suite per component configuration, a case per check; the failure carries the fix; deployment findings a suite of their own', async () => {
    const namespace = missingServiceAccount('junit');
    const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'junit']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = xml(r.stdout);
    expect(doc.testsuites).toMatchObject({ name: 'irsa-doctor', failures: '1', errors: '0' });
    const suites = doc.testsuites.testsuite as Suite[];
    expect(suites.map((s) => s.name)).toEqual([
      ...[
        'orchestration',
        'optimize',
        'identity',
        'keycloak',
        'web-modeler-restapi',
        'web-modeler-webapp',
        'web-modeler-websockets',
        'connectors',
      ].map((c) => `${c}: configuration`),
      'irsa-doctor',
    ]);
    const identity = suites.find((s) => s.name === 'identity: configuration')!;
    expect(identity).toMatchObject({ tests: '1', failures: '1' });
    const kase = identity.testcase[0]!;
    expect(kase.name).toBe('Camunda configuration (Deployment/camunda-identity) (camunda)');
    expect(kase.failure?.type).toBe('CAMUNDA-SA-MISSING');
    expect(kase.failure?.['#text']).toContain('Fix: ');
    expect(kase.failure?.['#text']).toContain('identity.serviceAccount.enabled: true');
    expect(kase.failure?.['#text']).toMatch(/Docs: \S+docs\/codes\.md#camunda-sa-missing/);
    const orchestration = suites.find((s) => s.name === 'orchestration: configuration')!;
    expect(orchestration).toMatchObject({ tests: '1', failures: '0' });
    expect(suites.at(-1)!.testcase.map((c) => c.name)).toEqual(['CAMUNDA-RELEASE']);
  });

  it('-o junit with --no-pods --audit: each IAM component also has its audit as a suite', async () => {
    const namespace = ns('junit-audit');
    install(w, '8.8', { namespace });
    const r = await spawnCli(
      w,
      ['camunda', '-n', namespace, '--no-pods', '--audit', '-o', 'junit', '--fail-on', 'never'],
      { aws: true },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const names = (xml(r.stdout).testsuites.testsuite as Suite[]).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'identity: configuration',
        'identity: audit',
        'orchestration: audit',
        'connectors: configuration',
      ]),
    );
    expect(names).not.toContain('connectors: audit');
    // Each component's audit follows its configuration.
    expect(names.indexOf('identity: audit')).toBe(names.indexOf('identity: configuration') + 1);
    const audit = (xml(r.stdout).testsuites.testsuite as Suite[]).find((s) => s.name === 'identity: audit')!;
    expect(audit.testcase.length).toBeGreaterThan(1);
  });

  it('-o markdown: the verdict heading, a row per entry with its first failing code, the finding collapsible with its fix', async () => {
    const namespace = missingServiceAccount('md');
    const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## ❌ irsa-doctor: FAIL\n/);
    expect(r.stdout).toContain('| | COMPONENT | Verdict | Fail | Warn | First failing code |');
    expect(r.stdout).toMatch(/\| ❌ \| identity: configuration \| fail \| 1 \| 0 \| `CAMUNDA-SA-MISSING` \|/);
    expect(r.stdout).toMatch(/\| ✅ \| orchestration: configuration \| pass \| 0 \| 0 \| {2}\|/);
    expect(r.stdout).toMatch(/<details><summary>❌ <code>CAMUNDA-SA-MISSING<\/code>: /);
    expect(r.stdout).toContain('**Fix:**');
    expect(r.stdout).toMatch(/\[CAMUNDA-SA-MISSING in docs\/codes\.md\]\(\S+#camunda-sa-missing\)/);
    // The deployment's finding before the components'.
    expect(r.stdout.indexOf('<code>CAMUNDA-RELEASE</code>')).toBeLessThan(
      r.stdout.indexOf('<b>orchestration: configuration</b>'),
    );
  });

  it('a password in the values reaches none of them', async () => {
    const canary = 'Canary-Pw-9d2mXq4T';
    const namespace = ns('canary');
    install(w, '8.8', { namespace, canary });
    for (const o of ['sarif', 'junit', 'markdown']) {
      const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', o]);
      expect(r.code, r.stderr).toBe(0);
      // SARIF has results only for problems; the others show every component.
      if (o !== 'sarif') expect(r.stdout).toContain('identity: configuration');
      expect(r.stdout + r.stderr).not.toContain(canary);
    }
  });

  it('IRSA_DOCTOR_OUTPUT chooses the format as for every command; -o json stays the camunda document', async () => {
    const namespace = ns('env-output');
    install(w, '8.8', { namespace });
    const md = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods'], {
      env: { IRSA_DOCTOR_OUTPUT: 'markdown' },
    });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## ✅ irsa-doctor: PASS\n/);
    const json = await runCamunda(w, ['-n', namespace, '--no-pods'], {
      env: { IRSA_DOCTOR_OUTPUT: 'sarif' },
    });
    expect(json.doc.schemaVersion).toBe(1);
    const bad = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--output must be text, json, sarif, junit or markdown, not "yaml"');
  });
});

describe('camunda --fail-on and --ignore', () => {
  it('--fail-on: a warning exits 0 by default, 1 with warn; a fail exits 0 with never; a wrong level is a usage error', async () => {
    const warned = bareServiceAccount('fail-on-warn');
    const byDefault = await runCamunda(w, ['-n', warned, '--no-pods']);
    expect(byDefault.codes('keycloak')).toEqual(['CAMUNDA-SA-NOT-ANNOTATED:warn']);
    expect(byDefault.doc.verdict).toBe('warn');
    expect(byDefault.code).toBe(0);
    expect((await runCamunda(w, ['-n', warned, '--no-pods', '--fail-on', 'warn'])).code).toBe(1);
    expect((await runCamunda(w, ['-n', warned, '--no-pods', '--fail-on', 'never'])).code).toBe(0);

    const failed = missingServiceAccount('fail-on-never');
    expect((await runCamunda(w, ['-n', failed, '--no-pods', '--fail-on', 'warn'])).code).toBe(1);
    const never = await runCamunda(w, ['-n', failed, '--no-pods', '--fail-on', 'never']);
    expect(never.doc.verdict).toBe('fail');
    expect(never.code).toBe(0);

    const bad = await spawnCli(w, ['camunda', '-n', failed, '--no-pods', '--fail-on', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on must be fail, warn or never, not "sometimes"');
    expect(bad.stdout).toBe('');
  });

  it('-o junit --fail-on warn: the warning is a test failure; by default it is not', async () => {
    const namespace = bareServiceAccount('junit-warn');
    const keycloak = (out: string) =>
      (xml(out).testsuites.testsuite as Suite[]).find((s) => s.name === 'keycloak: configuration')!;
    const plain = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '-o', 'junit']);
    expect(plain.code).toBe(0);
    expect(keycloak(plain.stdout).failures).toBe('0');
    const strict = await spawnCli(w, [
      'camunda',
      '-n',
      namespace,
      '--no-pods',
      '-o',
      'junit',
      '--fail-on',
      'warn',
    ]);
    expect(strict.code).toBe(1);
    expect(keycloak(strict.stdout).testcase[0]?.failure?.type).toBe('CAMUNDA-SA-NOT-ANNOTATED');
  });

  it('--ignore and IRSA_DOCTOR_IGNORE: a CAMUNDA-* fail becomes info "ignored by the user", verdict pass, exit 0', async () => {
    const namespace = missingServiceAccount('ignore');
    for (const [args, env] of [
      [['--ignore', 'camunda-sa-missing'], {}],
      [[], { IRSA_DOCTOR_IGNORE: 'IMDS-REACHABLE,CAMUNDA-SA-MISSING' }],
    ] as const) {
      const r = await runCamunda(w, ['-n', namespace, '--no-pods', ...args], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.codes('identity')).toEqual(['CAMUNDA-SA-MISSING:info']);
      const f = r.component('identity').findings[0]!;
      expect(f.details?.ignored).toEqual({ by: 'user', status: 'fail' });
      expect(f.remediation).toContain('identity.serviceAccount.enabled: true');
      expect(r.component('identity').verdict).toBe('pass');
      expect(r.doc.verdict).toBe('pass');
      expect(r.doc.summary.fail).toBe(0);
    }
    const text = await spawnCli(w, [
      'camunda',
      '-n',
      namespace,
      '--no-pods',
      '-o',
      'text',
      '--ignore',
      'CAMUNDA-SA-MISSING',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/INFO {2}CAMUNDA-SA-MISSING +\(FAIL, ignored by the user\) /);
    expect(text.stdout).toMatch(/^identity .* PASS$/m);
    expect(text.stdout).toMatch(/Verdict: PASS/);
    const sarif = await spawnCli(w, [
      'camunda',
      '-n',
      namespace,
      '--no-pods',
      '-o',
      'sarif',
      '--ignore',
      'CAMUNDA-SA-MISSING',
    ]);
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout) as Log;
    expect(sarifErrors(log)).toEqual([]);
    const result = log.runs[0]!.results!.find((x) => x.ruleId === 'CAMUNDA-SA-MISSING')!;
    expect(result.level).toBe('error');
    expect(result.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'ignored by the user' },
    ]);
    const md = await spawnCli(w, [
      'camunda',
      '-n',
      namespace,
      '--no-pods',
      '-o',
      'markdown',
      '--ignore',
      'CAMUNDA-SA-MISSING',
    ]);
    expect(md.stdout).toMatch(/^## ✅ irsa-doctor: PASS\n/);
    expect(md.stdout).toMatch(/<code>CAMUNDA-SA-MISSING<\/code> \(fail, ignored by the user\)/);
  });

  it('--ignore of a code the catalog does not have is a usage error naming the closest code', async () => {
    const namespace = missingServiceAccount('ignore-typo');
    const r = await spawnCli(w, ['camunda', '-n', namespace, '--no-pods', '--ignore', 'CAMUNDA-SA-MISING']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '"CAMUNDA-SA-MISING" is not a finding code (did you mean CAMUNDA-SA-MISSING?)',
    );
    expect(r.stdout).toBe('');
  });
});

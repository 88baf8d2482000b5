// The findings for reads the audit could not make: the operator's missing permission is a skip naming
// the action, never a verdict about the workload; no answer or refused credentials fail the audit.

import type { ProxyFailure } from '../lib/proxy/proxy-router.js';
import { finding } from '../report/finding.js';
import type { Finding } from '../report/types.js';
import type { AwsFailure } from './aws/aws-result.js';
import type { KubeRead } from './kube-read.js';

export function awsFailureFinding(f: AwsFailure, what: string): Finding {
  const details = {
    action: f.action,
    code: f.code,
    ...(f.httpStatus ? { httpStatus: f.httpStatus } : {}),
    message: f.message,
    ...(f.proxy ? { proxy: f.proxy } : {}),
  };
  const service = f.action.split(':')[0];
  switch (f.kind) {
    case 'access-denied':
      return finding(
        'AUDIT-AWS-DENIED',
        `Not checked: ${what} needs ${f.action}, which AWS refused (${f.code}).`,
        {
          fix: { action: f.action },
          details,
        },
      );
    case 'credentials':
      return finding(
        'AUDIT-AWS-CREDENTIALS',
        `AWS refused the operator's credentials for ${f.action} (${f.code}: ${f.message}).`,
        {
          details,
        },
      );
    case 'unreachable':
      return finding(
        'AUDIT-AWS-UNREACHABLE',
        f.proxy
          ? `${f.action} did not reach AWS: ${atProxy(f.proxy)}, so ${what} was not checked.`
          : `${f.action} did not answer (${f.message}), so ${what} was not checked.`,
        {
          fix: { service, action: f.action },
          details,
        },
      );
    default:
      return finding(
        'AUDIT-AWS-ERROR',
        `${f.action} failed (${f.code}: ${f.message}), so ${what} was not checked.`,
        {
          fix: { action: f.action, said: `${f.code}: ${f.message}` },
          details,
        },
      );
  }
}

/** What went wrong at the proxy, naming the proxy (never its password: `proxy` is the shown form). */
function atProxy(p: ProxyFailure): string {
  if (p.kind === 'unreachable') return `the proxy ${p.proxy} does not answer (${p.errno})`;
  if (p.kind === 'auth') return `the proxy ${p.proxy} wants credentials (407)`;
  return `the proxy ${p.proxy} refused to connect to ${p.target} (HTTP ${p.status})`;
}

export function kubeFailureFinding(r: Extract<KubeRead<unknown>, { ok: false }>, what: string): Finding {
  const details = {
    read: `${r.verb} ${r.resource}`,
    message: r.message,
    ...(r.server ? { server: r.server } : {}),
  };
  if (r.kind === 'forbidden')
    return finding(
      'AUDIT-KUBE-DENIED',
      `Not checked: ${what} needs to ${r.verb} ${r.resource}, which the Kubernetes API forbids (${r.message}).`,
      {
        fix: { verb: r.verb, resource: r.resource },
        details,
      },
    );
  return finding(
    'AUDIT-KUBE-ERROR',
    `The Kubernetes API failed while reading ${r.resource} for ${what}: ${r.message}`,
    {
      fix: { server: r.server },
      details,
    },
  );
}

import { dirname, join } from 'node:path';
import { readLocalFile } from '../../lib/read-local-file.js';
import { POD_NAMESPACE_FILE } from '../context.js';
import { fact } from '../fact.js';
import { readTokenFile } from './token-files.js';

/** The pod's own ServiceAccount as Kubernetes mounts it for the API (automountServiceAccountToken). */
export interface PodServiceAccount {
  dir: string;
  /** from the `namespace` file */
  namespace?: string;
  /** `sub` of the API token, system:serviceaccount:NS:SA */
  subject?: string;
  serviceAccount?: string;
}

/**
 * The pod's API ServiceAccount mount: an independent witness of which namespace and SA this pod runs
 * as, to compare with the IRSA token. Absent when automountServiceAccountToken is false.
 * IRSA_DOCTOR_SA_DIR overrides the directory (non-standard mounts, tests).
 */
export const podServiceAccount = fact('pod-service-account', async (ctx): Promise<PodServiceAccount> => {
  const dir = ctx.env.IRSA_DOCTOR_SA_DIR || dirname(POD_NAMESPACE_FILE);
  const out: PodServiceAccount = { dir };
  const read = await readLocalFile(join(dir, 'namespace'), 255);
  const ns = read.ok ? read.bytes.toString('utf8').trim() : '';
  if (ns) out.namespace = ns;
  const token = await readTokenFile(join(dir, 'token'), 'token');
  const m = token.ok ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(token.claims.sub ?? '') : null;
  if (m) {
    out.subject = m[0];
    out.serviceAccount = m[2]!;
    out.namespace ??= m[1]!;
  }
  return out;
});

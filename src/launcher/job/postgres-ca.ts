// The CA bundle the launcher hands the agent for --postgres-ca: a file on the workstation, carried into
// the pod as a ConfigMap the launcher creates beside the Job and owned by it, or a ConfigMap that exists.
import { readLocalFile } from '../../lib/read-local-file.js';
import { JOB_LABELS, type JobManifest, POSTGRES_CA_FILE } from './job-manifest.js';

export type PostgresCaSource =
  /** run --postgres-ca FILE: `pem` once read (command.ts reads it before anything is sent). */
  | { kind: 'file'; file: string; pem?: string }
  /** run --postgres-ca-configmap NAME[/KEY]: an existing ConfigMap in the ServiceAccount's namespace. */
  | { kind: 'configMap'; name: string; key: string };

/** The key of a ConfigMap that --postgres-ca-configmap NAME reads when it names none. */
export const DEFAULT_CA_KEY = POSTGRES_CA_FILE;

/**
 * The global RDS bundle is about 160 KiB, all partitions together under 400 KiB; a ConfigMap holds at
 * most 1 MiB, so a larger file could not be carried anyway.
 */
export const MAX_CA_BUNDLE_BYTES = 768 * 1024;

export type CaBundleRead = { ok: true; pem: string } | { ok: false; problem: string };

/** Reads --postgres-ca FILE: a regular file of PEM certificates, bounded like every file the tool reads. */
export async function readCaBundle(file: string): Promise<CaBundleRead> {
  const read = await readLocalFile(file, MAX_CA_BUNDLE_BYTES);
  if (!read.ok)
    return {
      ok: false,
      problem: `--postgres-ca ${file} ${read.problem === 'too-large' ? `${read.detail}, more than a ConfigMap can carry to the pod` : read.detail}`,
    };
  const pem = read.bytes.toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    return {
      ok: false,
      problem: `--postgres-ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    };
  return { ok: true, pem };
}

/** A ConfigMap as plain JSON, as core/v1 takes it. */
export interface ConfigMapManifest {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion: 'batch/v1';
      kind: 'Job';
      name: string;
      uid: string;
      blockOwnerDeletion: false;
    }>;
  };
  data: Record<string, string>;
}

/**
 * The ConfigMap that carries the bundle, named like its Job. Owned by the Job once it has a uid, so the
 * garbage collector removes it with the Job (also when the launcher itself is killed and only the Job's
 * TTL is left to clean up); without a uid (--dry-run) it is unowned.
 */
export function caConfigMap(job: JobManifest, pem: string, jobUid?: string): ConfigMapManifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: job.metadata.name,
      namespace: job.metadata.namespace,
      labels: { ...JOB_LABELS },
      ...(jobUid
        ? {
            ownerReferences: [
              {
                apiVersion: 'batch/v1',
                kind: 'Job',
                name: job.metadata.name,
                uid: jobUid,
                blockOwnerDeletion: false,
              },
            ],
          }
        : {}),
    },
    data: { [POSTGRES_CA_FILE]: pem },
  };
}

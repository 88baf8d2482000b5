// Response bodies with the shapes a real domain returns, kept apart from the access logic.
import { randomUUID } from 'node:crypto';

export interface Domain {
  accountId: string;
  domainName: string;
  nodeName: string;
  clusterUuid: string;
}

/** GET / */
export function clusterInfo(d: Domain): object {
  return {
    name: d.nodeName,
    cluster_name: `${d.accountId}:${d.domainName}`,
    cluster_uuid: d.clusterUuid,
    version: {
      distribution: 'opensearch',
      number: '2.17.0',
      build_type: 'tar',
      build_hash: 'unknown',
      build_date: '2024-10-01T09:17:29.519183Z',
      build_snapshot: false,
      lucene_version: '9.11.1',
      minimum_wire_compatibility_version: '7.10.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  };
}

/** GET _cluster/health */
export function clusterHealth(d: Domain, indexCount: number): object {
  const shards = indexCount * 2;
  return {
    cluster_name: `${d.accountId}:${d.domainName}`,
    status: 'green',
    timed_out: false,
    number_of_nodes: 3,
    number_of_data_nodes: 3,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: shards / 2,
    active_shards: shards,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100.0,
  };
}

/** What Serverless answers to any authentication or authorisation failure (request-id varies). */
export function aossForbidden(): { status: number; body: object } {
  return {
    status: 403,
    body: {
      status: 403,
      'request-id': randomUUID(),
      error: { reason: '403 Forbidden', type: 'Forbidden' },
    },
  };
}

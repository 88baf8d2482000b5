// The little data plane both emulated flavours share once a request is authorised: indexes, documents and a
// match-all search, with OpenSearch's real response and error shapes. Enough for a read or write probe.
import { randomUUID } from 'node:crypto';

export interface DataReply {
  status: number;
  /** object -> JSON, string -> text/plain, undefined -> empty body */
  body?: object | string;
}

export class IndexStore {
  private readonly indices = new Map<string, { uuid: string; docs: Map<string, unknown> }>();

  names(): string[] {
    return [...this.indices.keys()].sort();
  }

  private ensure(name: string) {
    let idx = this.indices.get(name);
    if (!idx) {
      idx = { uuid: randomUUID().replace(/-/g, '').slice(0, 22), docs: new Map() };
      this.indices.set(name, idx);
    }
    return idx;
  }

  /** Routes a data-plane request; undefined when the path is not one of these endpoints. */
  handle(method: string, pathname: string, query: URLSearchParams, body: string): DataReply | undefined {
    const m = method.toUpperCase();
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === '_cat' && parts[1] === 'indices' && m === 'GET') return this.catIndices(query);
    if (parts.length === 0 || parts[0].startsWith('_')) {
      if (parts[0] === '_search' && (m === 'GET' || m === 'POST'))
        return this.search([...this.indices.keys()]);
      return undefined;
    }
    const [index, op, id] = parts;
    const idx = this.indices.get(index);
    if (parts.length === 1) {
      if (m === 'PUT') {
        if (idx)
          return error(
            400,
            'resource_already_exists_exception',
            `index [${index}/${idx.uuid}] already exists`,
            index,
          );
        this.ensure(index);
        return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index } };
      }
      if (m === 'GET' || m === 'HEAD') {
        if (!idx) return notFound(index);
        return {
          status: 200,
          body:
            m === 'HEAD'
              ? undefined
              : { [index]: { aliases: {}, mappings: {}, settings: { index: { uuid: idx.uuid } } } },
        };
      }
      if (m === 'DELETE') {
        if (!idx) return notFound(index);
        this.indices.delete(index);
        return { status: 200, body: { acknowledged: true } };
      }
      return undefined;
    }
    if (op === '_search' && (m === 'GET' || m === 'POST'))
      return idx ? this.search([index]) : notFound(index);
    if (op === '_doc' && (m === 'PUT' || m === 'POST')) {
      const docId = id ?? randomUUID().replace(/-/g, '').slice(0, 20);
      const target = this.ensure(index);
      const existed = target.docs.has(docId);
      target.docs.set(docId, body ? JSON.parse(body) : {});
      return {
        status: existed ? 200 : 201,
        body: {
          _index: index,
          _id: docId,
          _version: 1,
          result: existed ? 'updated' : 'created',
          _shards: { total: 2, successful: 2, failed: 0 },
          _seq_no: 0,
          _primary_term: 1,
        },
      };
    }
    if (op === '_doc' && id && (m === 'GET' || m === 'HEAD')) {
      if (!idx) return notFound(index);
      const doc = idx.docs.get(id);
      return {
        status: doc === undefined ? 404 : 200,
        body:
          doc === undefined
            ? { _index: index, _id: id, found: false }
            : {
                _index: index,
                _id: id,
                _version: 1,
                _seq_no: 0,
                _primary_term: 1,
                found: true,
                _source: doc,
              },
      };
    }
    return undefined;
  }

  private search(names: string[]): DataReply {
    const hits = names.flatMap((n) =>
      [...(this.indices.get(n)?.docs ?? [])].map(([id, src]) => ({
        _index: n,
        _id: id,
        _score: 1,
        _source: src,
      })),
    );
    return {
      status: 200,
      body: {
        took: 1,
        timed_out: false,
        _shards: { total: names.length, successful: names.length, skipped: 0, failed: 0 },
        hits: { total: { value: hits.length, relation: 'eq' }, max_score: hits.length ? 1 : null, hits },
      },
    };
  }

  private catIndices(query: URLSearchParams): DataReply {
    const rows = this.names().map((name) => {
      const idx = this.indices.get(name)!;
      return {
        health: 'green',
        status: 'open',
        index: name,
        uuid: idx.uuid,
        pri: '1',
        rep: '1',
        'docs.count': String(idx.docs.size),
        'docs.deleted': '0',
        'store.size': '416b',
        'pri.store.size': '208b',
      };
    });
    if (query.get('format') === 'json') return { status: 200, body: rows };
    return { status: 200, body: rows.map((r) => `${Object.values(r).join(' ')}\n`).join('') };
  }
}

function error(status: number, type: string, reason: string, index: string): DataReply {
  const cause = { type, reason, index, index_uuid: '_na_' };
  return { status, body: { error: { root_cause: [cause], ...cause }, status } };
}

function notFound(index: string): DataReply {
  const cause = {
    type: 'index_not_found_exception',
    reason: `no such index [${index}]`,
    index,
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
  };
  return { status: 404, body: { error: { root_cause: [cause], ...cause }, status: 404 } };
}

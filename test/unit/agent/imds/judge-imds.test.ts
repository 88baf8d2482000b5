import { describe, expect, it } from 'vitest';
import { type ImdsProbe, judgeImds } from '../../../../src/agent/imds/judge-imds.js';
import type { MetadataResponse } from '../../../../src/lib/metadata-request.js';

const ok = (body: string, status = 200): MetadataResponse => ({
  kind: 'response',
  status,
  body,
  truncated: false,
  ms: 2,
  stalledMs: 0,
});
const timeout = (
  o: { lateMs?: number; stalledMs?: number; phase?: 'connect' | 'response' } = {},
): MetadataResponse => ({
  kind: 'timeout',
  phase: o.phase ?? 'response',
  lateMs: o.lateMs ?? 2,
  ms: 1000 + (o.lateMs ?? 2),
  stalledMs: o.stalledMs ?? 0,
});
const refused: MetadataResponse = { kind: 'error', errno: 'ECONNREFUSED', detail: 'x', ms: 1, stalledMs: 0 };
const probe = (put: MetadataResponse, v1: MetadataResponse, budgetMs = 1000): ImdsProbe => ({
  put,
  v1,
  budgetMs,
});
const TOKEN = 'AQAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

describe('judgeImds', () => {
  it('reachable with a token or a v1 role list', () => {
    expect(judgeImds(probe(ok(TOKEN), ok('', 401)), 1000)).toMatchObject({
      kind: 'reachable',
      token: true,
      v1: false,
    });
    expect(judgeImds(probe(timeout(), ok('eks-node-role')), 1000)).toMatchObject({
      kind: 'reachable',
      v1: true,
      roleName: 'eks-node-role',
    });
  });

  it('blocked on the hop-limit signature when the process was alive to hear an answer', () => {
    expect(judgeImds(probe(timeout(), ok('', 401)), 1000)).toEqual({
      kind: 'blocked',
      hopLimitSignature: true,
    });
    expect(judgeImds(probe(refused, refused), 1000)).toEqual({ kind: 'blocked', hopLimitSignature: false });
  });

  it('not determined when the timeout fired late or the wait was mostly a stall', () => {
    expect(judgeImds(probe(timeout({ lateMs: 500 }), timeout({ lateMs: 500 })), 1000)).toMatchObject({
      kind: 'undetermined',
      why: 'starved',
      lateMs: 500,
    });
    expect(judgeImds(probe(timeout({ stalledMs: 800 }), ok('', 401)), 1000)).toMatchObject({
      kind: 'undetermined',
      why: 'starved',
    });
  });

  it('not determined when the deadline gave less than the SDK waits', () => {
    expect(judgeImds(probe(timeout(), timeout(), 400), 1000)).toMatchObject({
      kind: 'undetermined',
      why: 'short-budget',
    });
  });

  it('not determined when something answers that is not IMDS', () => {
    expect(judgeImds(probe(ok('<html>login</html>'), ok('<html>login</html>')), 1000)).toMatchObject({
      kind: 'undetermined',
      why: 'not-imds',
    });
    const big: MetadataResponse = {
      ...(ok('A'.repeat(4096)) as Extract<MetadataResponse, { kind: 'response' }>),
      truncated: true,
    };
    expect(judgeImds(probe(big, big), 1000)).toMatchObject({ kind: 'undetermined', why: 'not-imds' });
  });

  it('not determined when the answer is not HTTP at all', () => {
    const garbage: MetadataResponse = {
      kind: 'error',
      errno: 'HPE_INVALID_CONSTANT',
      detail: 'x',
      ms: 1,
      stalledMs: 0,
    };
    expect(judgeImds(probe(garbage, garbage), 1000)).toMatchObject({ kind: 'undetermined', why: 'not-imds' });
  });

  it('never takes a token with line breaks or spaces (it would go into a header)', () => {
    expect(judgeImds(probe(ok('abc\r\nX-Evil: 1'), ok('', 401)), 1000).kind).toBe('undetermined');
  });
});

import { describe, expect, it } from 'vitest';
import {
  listPodIdentityServiceAccounts,
  unknownCluster,
} from '../../../src/launcher/pod-identity-service-accounts.js';

describe('listPodIdentityServiceAccounts: the ways it ends without a listing', () => {
  it('an interrupted run (Ctrl-C before or while it asks) ends at once: reason interrupted, nothing opened', async () => {
    const ac = new AbortController();
    ac.abort();
    // No connection is touched: a run interrupted before the lookup never opens AWS clients.
    const r = await listPodIdentityServiceAccounts({
      connection: undefined as never,
      timeoutMs: 60_000,
      signal: ac.signal,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.why).toBe('the run was interrupted');
    expect(r.finding).toMatchObject({
      code: 'LAUNCH-POD-IDENTITY-UNLISTED',
      details: { reason: 'interrupted' },
    });
  });

  it('a cluster that cannot be named: cluster-not-found, with what to pass', () => {
    const r = unknownCluster();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.why).toContain('pass --cluster NAME');
    expect(r.finding.details).toMatchObject({ reason: 'cluster-not-found' });
  });
});

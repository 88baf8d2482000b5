import { describe, expect, it } from 'vitest';
import { overlayView, releaseValuesView, subView, tableView } from '../../../src/camunda/values-view.js';

describe('values views', () => {
  const view = releaseValuesView(
    { identity: { externalDatabase: { host: '', port: 5432 }, serviceAccount: { annotations: {} } } },
    {
      identity: {
        externalDatabase: { host: 'aurora' },
        serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn' } },
      },
    },
  );

  it("says whether a value is the user's or the chart's default", () => {
    expect(view.get('identity.externalDatabase.host')).toEqual({
      value: 'aurora',
      source: 'values:identity.externalDatabase.host',
    });
    expect(view.get('identity.externalDatabase.port')).toEqual({
      value: 5432,
      source: 'chart-default:identity.externalDatabase.port',
    });
    expect(view.get('identity.nothing')).toBeUndefined();
  });

  it('reads keys that contain dots through a key list', () => {
    expect(view.get(['identity', 'serviceAccount', 'annotations', 'eks.amazonaws.com/role-arn'])).toEqual({
      value: 'arn',
      source: 'values:identity.serviceAccount.annotations."eks.amazonaws.com/role-arn"',
    });
  });

  it('narrows and layers views; null falls through', () => {
    const id = subView(view, 'identity');
    expect(id.get('externalDatabase.host')?.source).toBe('values:identity.externalDatabase.host');
    const layered = overlayView(
      tableView({ a: 1, b: 2 }, 'subchart-default:kc'),
      tableView({ a: null, b: 3 }, 'top'),
    );
    expect(layered.get('a')).toEqual({ value: 1, source: 'subchart-default:kc:a' });
    expect(layered.get('b')).toEqual({ value: 3, source: 'top:b' });
  });
});

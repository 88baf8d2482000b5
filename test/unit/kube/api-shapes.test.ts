import { describe, expect, it } from 'vitest';
import {
  eventListShape,
  jobShape,
  namespaceShape,
  podListShape,
  serviceAccountShape,
  webhookConfigurationShape,
} from '../../../src/kube/api-shapes.js';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });

describe('API answer shapes', () => {
  it('objects as a Kubernetes API server sends them pass', () => {
    expect(
      namespaceShape('camunda')({ kind: 'Namespace', apiVersion: 'v1', metadata: meta('camunda') }),
    ).toBe(undefined);
    expect(
      serviceAccountShape('zeebe')({
        kind: 'ServiceAccount',
        apiVersion: 'v1',
        metadata: meta('zeebe', { annotations: { 'eks.amazonaws.com/role-arn': 'arn' }, labels: null }),
        secrets: [{ name: 'x' }],
      }),
    ).toBe(undefined);
    expect(
      webhookConfigurationShape('pod-identity-webhook')({
        kind: 'MutatingWebhookConfiguration',
        apiVersion: 'admissionregistration.k8s.io/v1',
        metadata: meta('pod-identity-webhook'),
        webhooks: [{ name: 'iam-for-pods.amazonaws.com', clientConfig: {} }],
      }),
    ).toBe(undefined);
    expect(
      jobShape('j')({
        kind: 'Job',
        apiVersion: 'batch/v1',
        metadata: meta('j'),
        spec: { activeDeadlineSeconds: 120 },
        status: { conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }] },
      }),
    ).toBe(undefined);
    expect(
      podListShape({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: {},
        items: [
          {
            metadata: meta('p', { labels: { 'job-name': 'j' }, creationTimestamp: '2026-01-01T00:00:00Z' }),
            spec: { containers: [{ name: 'agent', env: [{ name: 'A', value: 'b' }, { name: 'C' }] }] },
            status: { phase: 'Running', containerStatuses: [{ name: 'agent', state: { running: {} } }] },
          },
        ],
      }),
    ).toBe(undefined);
    expect(eventListShape({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items: [] })).toBe(undefined);
  });

  it.each([
    ['a Status that says nothing', { kind: 'Status', hello: 'world' }, /^kind is "Status", not Namespace$/],
    ['an array', [1, 2], /not a JSON object/],
    ['a string', 'ok', /not a JSON object/],
    ['no apiVersion', { kind: 'Namespace', metadata: meta('camunda') }, /apiVersion is missing, not v1/],
    ['no metadata', { kind: 'Namespace', apiVersion: 'v1' }, /metadata is missing/],
    [
      'another namespace',
      { kind: 'Namespace', apiVersion: 'v1', metadata: meta('default') },
      /metadata\.name is "default", not "camunda"/,
    ],
  ])('a Namespace answer that is %s is refused', (_what, value, problem) => {
    expect(namespaceShape('camunda')(value)).toMatch(problem);
  });

  it('fields the launcher reads must have their type, wherever they are', () => {
    const sa = (annotations: unknown) =>
      serviceAccountShape('zeebe')({
        kind: 'ServiceAccount',
        apiVersion: 'v1',
        metadata: meta('zeebe', { annotations }),
      });
    expect(sa({ 'eks.amazonaws.com/role-arn': 42 })).toBe(
      'metadata.annotations.eks.amazonaws.com/role-arn is number 42, not a string',
    );
    expect(sa('x')).toBe('metadata.annotations is "x", not an object');
    const pods = (items: unknown) => podListShape({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    expect(pods(undefined)).toBe('items is missing, not a list');
    expect(pods('x')).toBe('items is "x", not a list');
    expect(pods([{ metadata: {} }])).toBe('items[0] has no metadata.name');
    expect(pods([{ metadata: meta('p'), status: { containerStatuses: {} } }])).toBe(
      'items[0].status.containerStatuses is an object, not a list',
    );
    expect(
      pods([
        {
          metadata: meta('p'),
          status: { containerStatuses: [{ state: { terminated: { exitCode: '1' } } }] },
        },
      ]),
    ).toBe('items[0].status.containerStatuses[0].state.terminated.exitCode is "1", not a number');
    expect(
      jobShape('j')({
        kind: 'Job',
        apiVersion: 'batch/v1',
        metadata: meta('j'),
        status: { conditions: 'x' },
      }),
    ).toBe('status.conditions is "x", not a list');
    expect(
      webhookConfigurationShape('w')({
        kind: 'MutatingWebhookConfiguration',
        apiVersion: 'admissionregistration.k8s.io/v1',
        metadata: meta('w'),
        webhooks: [{ name: ['x'] }],
      }),
    ).toBe('webhooks[0].name is a list, not a string');
  });
});

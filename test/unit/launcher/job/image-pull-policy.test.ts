import { describe, expect, it } from 'vitest';
import { defaultPullPolicy } from '../../../../src/launcher/job/image-pull-policy.js';

describe('defaultPullPolicy', () => {
  it('is what the API server defaults a container to', () => {
    expect(defaultPullPolicy('ghcr.io/irsa-doctor/irsa-doctor:0.1.0')).toBe('IfNotPresent');
    expect(defaultPullPolicy('ghcr.io/irsa-doctor/irsa-doctor:latest')).toBe('Always');
    expect(defaultPullPolicy('ghcr.io/irsa-doctor/irsa-doctor')).toBe('Always');
    expect(defaultPullPolicy('irsa-doctor')).toBe('Always');
    // A registry's port is not a tag.
    expect(defaultPullPolicy('registry.local:5000/irsa-doctor')).toBe('Always');
    expect(defaultPullPolicy('registry.local:5000/irsa-doctor:1.0')).toBe('IfNotPresent');
    // A digest pins the image whatever the tag says.
    expect(defaultPullPolicy(`ghcr.io/x/y@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
    expect(defaultPullPolicy(`ghcr.io/x/y:latest@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
  });
});

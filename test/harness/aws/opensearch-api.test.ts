import {
  DescribeDomainCommand,
  DescribeDomainsCommand,
  ListDomainNamesCommand,
  OpenSearchClient,
} from '@aws-sdk/client-opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../iam.js';
import { type AwsControlPlane, everyEmulatedRead, startAwsControlPlane } from './aws-control-plane.js';
import { failure, signedRequest, withClient } from './sdk-env.js';

let cp: AwsControlPlane;
const os = <T>(use: (c: OpenSearchClient) => Promise<T>, env = cp.env) =>
  withClient(env, () => new OpenSearchClient({}), use);
const accessPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/camunda-zeebe' },
      Action: 'es:ESHttp*',
      Resource: 'arn:aws:es:eu-west-1:111122223333:domain/camunda/*',
    },
  ],
};

beforeAll(async () => {
  cp = await startAwsControlPlane({ operatorPolicy: everyEmulatedRead() });
  cp.openSearch.addDomain({ name: 'camunda', accessPolicy, vpc: true });
  cp.openSearch.addDomain({
    name: 'public-logs',
    endpoint: '127.0.0.1',
    fgac: { enabled: true, internalUserDatabaseEnabled: true },
    enforceHttps: false,
  });
  cp.openSearch.addDomain({ name: 'old-es', engineVersion: 'Elasticsearch_7.10', fgac: { enabled: false } });
});
afterAll(async () => {
  await cp?.close();
});

describe('domains', () => {
  it('lists domain names with their engine type, filtered by engine', async () => {
    const all = await os((c) => c.send(new ListDomainNamesCommand({})));
    expect(all.DomainNames).toEqual([
      { DomainName: 'camunda', EngineType: 'OpenSearch' },
      { DomainName: 'public-logs', EngineType: 'OpenSearch' },
      { DomainName: 'old-es', EngineType: 'Elasticsearch' },
    ]);
    const es = await os((c) => c.send(new ListDomainNamesCommand({ EngineType: 'Elasticsearch' })));
    expect(es.DomainNames?.map((d) => d.DomainName)).toEqual(['old-es']);
  });

  it('describes a VPC domain: Endpoints.vpc, the access policy as a JSON string, FGAC and HTTPS settings', async () => {
    const { DomainStatus: d } = await os((c) => c.send(new DescribeDomainCommand({ DomainName: 'camunda' })));
    expect(d).toMatchObject({
      DomainName: 'camunda',
      DomainId: '111122223333/camunda',
      ARN: 'arn:aws:es:eu-west-1:111122223333:domain/camunda',
      Created: true,
      Deleted: false,
      EngineVersion: 'OpenSearch_2.17',
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false },
      DomainEndpointOptions: { EnforceHTTPS: true },
    });
    expect(d?.Endpoint).toBeUndefined();
    expect(d?.Endpoints?.vpc).toMatch(/^vpc-camunda-[a-z0-9]{26}\.eu-west-1\.es\.amazonaws\.com$/);
    expect(typeof d?.AccessPolicies).toBe('string');
    expect(JSON.parse(d?.AccessPolicies ?? '')).toEqual(accessPolicy);
  });

  it('describes a public domain and one without an access policy', async () => {
    const { DomainStatus: d } = await os((c) =>
      c.send(new DescribeDomainCommand({ DomainName: 'public-logs' })),
    );
    expect(d).toMatchObject({
      Endpoint: '127.0.0.1',
      AccessPolicies: '',
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: true },
      DomainEndpointOptions: { EnforceHTTPS: false },
    });
    const many = await os((c) => c.send(new DescribeDomainsCommand({ DomainNames: ['old-es', 'absent'] })));
    expect(many.DomainStatusList?.map((x) => [x.DomainName, x.AdvancedSecurityOptions?.Enabled])).toEqual([
      ['old-es', false],
    ]);
  });

  it('answers ResourceNotFoundException with HTTP 409, as the service does', async () => {
    const e = await failure(os((c) => c.send(new DescribeDomainCommand({ DomainName: 'absent' }))));
    expect(e).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 409,
      message: 'Domain not found: absent',
    });
    const bad = await failure(os((c) => c.send(new DescribeDomainCommand({ DomainName: 'Bad_Name' }))));
    expect(bad).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('authorization', () => {
  it('answers AccessDeniedException for an operator without es:DescribeDomain', async () => {
    cp.operator.revoke('es:DescribeDomain');
    try {
      const e = await failure(os((c) => c.send(new DescribeDomainCommand({ DomainName: 'camunda' }))));
      expect(e).toMatchObject({
        name: 'AccessDeniedException',
        status: 403,
        message:
          'User: arn:aws:iam::111122223333:user/operator is not authorized to perform: es:DescribeDomain on resource: arn:aws:es:eu-west-1:111122223333:domain/camunda because no identity-based policy allows the es:DescribeDomain action',
      });
    } finally {
      cp.operator.grant('es:DescribeDomain');
    }
  });

  it('answers InvalidSignatureException for a wrong secret or a request signed for another service', async () => {
    const bad = await failure(
      os((c) => c.send(new ListDomainNamesCommand({})), { ...cp.env, AWS_SECRET_ACCESS_KEY: 'x' }),
    );
    expect(bad).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    // The configuration API signs as `es`; a client that signs as `opensearch` is refused.
    const raw = await signedRequest(cp.env.AWS_ENDPOINT_URL_OPENSEARCH, {
      path: '/2021-01-01/domain',
      service: 'opensearch',
      region: cp.region,
      credentials: cp.operator.credentials,
    });
    expect(raw.status).toBe(403);
    expect(raw.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException:/);
    expect(JSON.parse(raw.body).message).toBe("Credential should be scoped to correct service: 'es'. ");
  });
});

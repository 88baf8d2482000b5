// Every piece of the AWS SDK the agent's checks call, behind one module that agentSdk() (agent-sdk.ts)
// imports on first use. Nothing else in src/agent imports an SDK package at its top.
export { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
export { fromHttp, fromNodeProviderChain } from '@aws-sdk/credential-providers';
export { capEverySdkHandler } from '../../aws/capped-http-handler.js';
export { sdkClientSettings } from './sdk-client-settings.js';

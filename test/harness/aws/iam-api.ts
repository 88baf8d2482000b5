// IAM's read API on loopback (awsQuery, XML), over the harness's IamAccount: roles with paths, inline and
// attached managed policies with versions, permissions boundaries, OIDC providers, and
// SimulatePrincipalPolicy evaluated by the harness's own evaluator. Documents are answered URL-encoded,
// as IAM does; role ARNs keep their path.
import { type IamAccount, type ManagedPolicy, parseRoleArn, type Role, stableId } from '../iam.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';
import { listParam, structListParam, XmlMap, type XmlValue } from './aws-wire.js';
import { evaluatePolicies, type MatchedStatement, type PolicySource } from './policy-evaluator.js';
import { encodePolicy, policyText, statementSpans } from './policy-text.js';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** The region IAM's global endpoint signs for in each partition (what the SDK uses for iam.amazonaws.com). */
export function iamSigningRegion(partition: string): string {
  const regions: Record<string, string> = {
    aws: 'us-east-1',
    'aws-cn': 'cn-north-1',
    'aws-us-gov': 'us-gov-west-1',
    'aws-iso': 'us-iso-east-1',
    'aws-iso-b': 'us-isob-east-1',
  };
  return regions[partition] ?? 'us-east-1';
}

export interface IamApiOptions {
  iam: IamAccount;
  tls?: { certPem: string; keyPem: string };
}

const NAME_RE = /^[\w+=,.@-]+$/;
const VERSION_RE = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;
const CONTEXT_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
];

const validation = (field: string, value: string | undefined, constraint: string) =>
  new AwsFault(
    400,
    'ValidationError',
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
const noSuchEntity = (message: string) => new AwsFault(404, 'NoSuchEntity', message);
const invalidInput = (message: string) => new AwsFault(400, 'InvalidInput', message);

function required(p: Record<string, string>, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') {
    const field = name.charAt(0).toLowerCase() + name.slice(1);
    throw validation(field, undefined, 'Member must not be null');
  }
  return v;
}

function nameParam(p: Record<string, string>, name: string, max = 128): string {
  const v = required(p, name);
  const field = name.charAt(0).toLowerCase() + name.slice(1);
  if (v.length > max) throw validation(field, v, `Member must have length less than or equal to ${max}`);
  if (!NAME_RE.test(v))
    throw validation(field, v, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return v;
}

/** MaxItems / Marker paging, IAM style (IsTruncated + Marker). */
function page<T>(
  p: Record<string, string>,
  items: T[],
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = p.MaxItems === undefined ? 100 : Number(p.MaxItems);
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw validation('maxItems', p.MaxItems, 'Member must have value between 1 and 1000');
  const start = p.Marker === undefined ? 0 : Number.parseInt(Buffer.from(p.Marker, 'base64').toString(), 10);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidInput('Invalid Marker.');
  const slice = items.slice(start, start + max);
  const next = start + slice.length;
  return next < items.length
    ? { items: slice, IsTruncated: true, Marker: Buffer.from(String(next)).toString('base64') }
    : { items: slice, IsTruncated: false };
}

const ARN_PART = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const POLICY_ARN_RE = new RegExp(
  `^arn:${ARN_PART}:iam::(\\d{12}|aws):policy(/|/[\\x21-\\x7e]*/)([\\w+=,.@-]+)$`,
);
const OIDC_ARN_RE = new RegExp(`^arn:${ARN_PART}:iam::(\\d{12}):oidc-provider/(.+)$`);
const SOURCE_ARN_RE = new RegExp(
  `^arn:${ARN_PART}:iam::(\\d{12}):(role|user|group)(/|/[\\x21-\\x7e]*/)([\\w+=,.@-]+)$`,
);

export async function startIamApi(o: IamApiOptions): Promise<AwsService> {
  const { iam } = o;
  const roleByName = (name: string): Role | undefined =>
    iam.listRoles().find((r) => {
      const parsed = parseRoleArn(r.arn);
      return parsed?.account === iam.accountId && parsed.name === name;
    });
  const roleArnFor = (name: string) => roleByName(name)?.arn ?? iam.roleArn(name);
  const mustRole = (name: string): Role => {
    const r = roleByName(name);
    if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return r;
  };
  const attachmentCount = (arn: string) =>
    iam.listRoles().filter((r) => r.attachedPolicyArns?.includes(arn)).length;
  const boundaryCount = (arn: string) =>
    iam.listRoles().filter((r) => r.permissionsBoundaryArn === arn).length;

  function roleXml(r: Role): Record<string, XmlValue> {
    const parsed = parseRoleArn(r.arn);
    return {
      Path: parsed?.path ?? '/',
      RoleName: parsed?.name ?? r.arn,
      RoleId: stableId('AROA', r.arn),
      Arn: r.arn,
      CreateDate: r.createDate ?? new Date(),
      AssumeRolePolicyDocument: encodePolicy(policyText(r.trustPolicy)),
      Description: r.description,
      MaxSessionDuration: r.maxSessionDuration ?? 3600,
      PermissionsBoundary: r.permissionsBoundaryArn
        ? {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: r.permissionsBoundaryArn,
          }
        : undefined,
      Tags: r.tags ? Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
      RoleLastUsed: {},
    };
  }

  function policyXml(m: ManagedPolicy): Record<string, XmlValue> {
    return {
      PolicyName: m.name,
      PolicyId: m.policyId,
      Arn: m.arn,
      Path: m.path,
      DefaultVersionId: m.defaultVersionId,
      AttachmentCount: attachmentCount(m.arn),
      PermissionsBoundaryUsageCount: boundaryCount(m.arn),
      IsAttachable: true,
      Description: m.description,
      CreateDate: m.createDate,
      UpdateDate: m.updateDate,
    };
  }

  function policyArnParam(p: Record<string, string>): { arn: string; owner: string } {
    const arn = required(p, 'PolicyArn');
    const m = POLICY_ARN_RE.exec(arn);
    if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
    return { arn, owner: m[2] };
  }
  const mustPolicy = (arn: string): ManagedPolicy => {
    const m = iam.getManagedPolicy(arn);
    if (!m) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return m;
  };

  const simulate = (p: Record<string, string>): Operation => {
    const source = required(p, 'PolicySourceArn');
    const actions = listParam(p, 'ActionNames');
    if (actions.length === 0) throw validation('actionNames', undefined, 'Member must not be null');
    const m = SOURCE_ARN_RE.exec(source);
    if (!m) throw invalidInput(`Invalid ARN: ${source}`);
    const [, , account, kind, , sourceName] = m;
    return {
      name: 'SimulatePrincipalPolicy',
      action: 'iam:SimulatePrincipalPolicy',
      resource: source,
      describedAs: `${kind} ${sourceName}`,
      resourceAccount: account,
      run: () => runSimulation(p, source, kind, sourceName, actions),
    };
  };

  function runSimulation(
    p: Record<string, string>,
    source: string,
    kind: string,
    sourceName: string,
    actions: string[],
  ): Record<string, XmlValue> {
    const principal =
      kind === 'role'
        ? roleByName(sourceName)?.arn
        : kind === 'user' && iam.getUser(source)
          ? source
          : undefined;
    const sources = principal ? iam.policySources(principal) : undefined;
    if (!sources) throw noSuchEntity(`The ${kind} with name ${sourceName} cannot be found.`);
    // Assumed from the documented limit: a resource policy is simulated only for an IAM user caller.
    if (p.ResourcePolicy !== undefined && (kind !== 'user' || p.CallerArn !== undefined))
      throw invalidInput('A ResourcePolicy can be simulated only with an IAM user as the caller.');
    if (p.ResourcePolicy !== undefined) throw new Error('ResourcePolicy simulation is not emulated');

    const texts = new Map<PolicySource, string>();
    const parseInput = (list: string, type: PolicySource['type']) =>
      listParam(p, list).map((text, i): PolicySource => {
        let document: PolicySource['document'];
        try {
          document = JSON.parse(text) as PolicySource['document'];
        } catch {
          throw new AwsFault(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
        }
        const s: PolicySource = { id: `${list}.${i + 1}`, type, document };
        texts.set(s, text);
        return s;
      });
    const extra = parseInput('PolicyInputList', 'none');
    const boundaryInput = parseInput('PermissionsBoundaryPolicyInputList', 'none');
    const identity = [...sources.identity, ...extra];
    const boundary = boundaryInput.length > 0 ? boundaryInput : sources.boundary;

    const context: Record<string, string[]> = {};
    for (const entry of structListParam(p, 'ContextEntries')) {
      const key = entry.ContextKeyName;
      const type = entry.ContextKeyType;
      if (!key)
        throw validation('contextEntries.member.contextKeyName', undefined, 'Member must not be null');
      if (type !== undefined && !CONTEXT_TYPES.includes(type))
        throw validation(
          'contextEntries.member.contextKeyType',
          type,
          `Member must satisfy enum value set: [${CONTEXT_TYPES.join(', ')}]`,
        );
      context[key] = listParam(entry, 'ContextKeyValues');
    }

    const statementXml = (ms: MatchedStatement): Record<string, XmlValue> => {
      const text = texts.get(ms.policy) ?? policyText(ms.policy.document);
      const span = statementSpans(text)[ms.index];
      return {
        SourcePolicyId: ms.policy.id,
        SourcePolicyType: ms.policy.type,
        StartPosition: span ? { Line: span.start.line, Column: span.start.column } : undefined,
        EndPosition: span ? { Line: span.end.line, Column: span.end.column } : undefined,
      };
    };

    const resources = listParam(p, 'ResourceArns');
    const explicit = resources.length > 0;
    const results: Record<string, XmlValue>[] = [];
    for (const action of actions) {
      for (const resource of explicit ? resources : ['*']) {
        const e = evaluatePolicies(identity, { action, resource, context, anyResource: true }, boundary);
        const matched = e.matched.map(statementXml);
        const boundaryDetail = boundary
          ? { AllowedByPermissionsBoundary: e.allowedByBoundary ?? false }
          : undefined;
        results.push({
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: e.decision,
          MatchedStatements: matched,
          MissingContextValues: explicit ? [] : e.missingContextKeys,
          PermissionsBoundaryDecisionDetail: boundaryDetail,
          EvalDecisionDetails: explicit ? new XmlMap({}) : undefined,
          ResourceSpecificResults: explicit
            ? [
                {
                  EvalResourceName: resource,
                  EvalResourceDecision: e.decision,
                  MatchedStatements: matched,
                  MissingContextValues: e.missingContextKeys,
                  PermissionsBoundaryDecisionDetail: boundaryDetail,
                },
              ]
            : undefined,
        });
      }
    }
    const pg = page(p, results);
    return { EvaluationResults: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
  }

  const route = (p: Record<string, string>): Operation => {
    const action = p.Action ?? '';
    switch (action) {
      case 'GetRole': {
        const name = nameParam(p, 'RoleName', 64);
        return {
          name: action,
          action: 'iam:GetRole',
          resource: roleArnFor(name),
          describedAs: `role ${name}`,
          run: () => ({ Role: roleXml(mustRole(name)) }),
        };
      }
      case 'ListAttachedRolePolicies': {
        const name = nameParam(p, 'RoleName', 64);
        return {
          name: action,
          action: 'iam:ListAttachedRolePolicies',
          resource: roleArnFor(name),
          describedAs: `role ${name}`,
          run: () => {
            const prefix = p.PathPrefix ?? '/';
            const attached = (mustRole(name).attachedPolicyArns ?? [])
              .map((arn) => iam.getManagedPolicy(arn))
              .filter((m): m is ManagedPolicy => m?.path.startsWith(prefix) === true)
              .map((m) => ({ PolicyName: m.name, PolicyArn: m.arn }));
            const pg = page(p, attached);
            return { AttachedPolicies: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
          },
        };
      }
      case 'ListRolePolicies': {
        const name = nameParam(p, 'RoleName', 64);
        return {
          name: action,
          action: 'iam:ListRolePolicies',
          resource: roleArnFor(name),
          describedAs: `role ${name}`,
          run: () => {
            const names = iam.identityPolicies(mustRole(name).arn)?.inline.map((i) => i.name) ?? [];
            const pg = page(p, names);
            return { PolicyNames: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
          },
        };
      }
      case 'GetRolePolicy': {
        const name = nameParam(p, 'RoleName', 64);
        const policyName = nameParam(p, 'PolicyName');
        return {
          name: action,
          action: 'iam:GetRolePolicy',
          resource: roleArnFor(name),
          describedAs: `role ${name}`,
          run: () => {
            const inline = iam
              .identityPolicies(mustRole(name).arn)
              ?.inline.find((i) => i.name === policyName);
            if (!inline) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
            return {
              RoleName: name,
              PolicyName: policyName,
              PolicyDocument: encodePolicy(policyText(inline.document)),
            };
          },
        };
      }
      case 'GetPolicy': {
        const { arn, owner } = policyArnParam(p);
        return {
          name: action,
          action: 'iam:GetPolicy',
          resource: arn,
          describedAs: `policy ${arn}`,
          resourceAccount: owner === 'aws' ? undefined : owner,
          run: () => ({ Policy: policyXml(mustPolicy(arn)) }),
        };
      }
      case 'GetPolicyVersion': {
        const { arn, owner } = policyArnParam(p);
        const versionId = required(p, 'VersionId');
        if (!VERSION_RE.test(versionId))
          throw validation(
            'versionId',
            versionId,
            'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
          );
        return {
          name: action,
          action: 'iam:GetPolicyVersion',
          resource: arn,
          describedAs: `policy ${arn}`,
          resourceAccount: owner === 'aws' ? undefined : owner,
          run: () => {
            const v = mustPolicy(arn).versions.find((x) => x.id === versionId);
            if (!v)
              throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
            return {
              PolicyVersion: {
                Document: encodePolicy(policyText(v.document)),
                VersionId: v.id,
                IsDefaultVersion: v.id === mustPolicy(arn).defaultVersionId,
                CreateDate: v.createDate,
              },
            };
          },
        };
      }
      case 'ListOpenIDConnectProviders':
        return {
          name: action,
          action: 'iam:ListOpenIDConnectProviders',
          resource: '*',
          run: () => ({
            OpenIDConnectProviderList: iam
              .listOidcProviders()
              .map((pr) => ({ Arn: iam.oidcProviderArn(pr.url, pr.accountId) })),
          }),
        };
      case 'GetOpenIDConnectProvider': {
        const arn = required(p, 'OpenIDConnectProviderArn');
        const m = OIDC_ARN_RE.exec(arn);
        if (!m) throw invalidInput(`Invalid ARN ${arn}`);
        const [, , account, url] = m;
        return {
          name: action,
          action: 'iam:GetOpenIDConnectProvider',
          resource: arn,
          resourceAccount: account,
          run: () => {
            const pr = iam.findOidcProvider(url, account);
            if (!pr) throw noSuchEntity(`OpenIDConnect provider not found for arn ${arn}`);
            return {
              Url: pr.url,
              ClientIDList: pr.clientIds,
              ThumbprintList: pr.thumbprints,
              CreateDate: pr.createDate ?? new Date(),
              Tags: [],
            };
          },
        };
      }
      case 'SimulatePrincipalPolicy':
        return simulate(p);
      default:
        throw new AwsFault(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${p.Version ?? 'NO_VERSION_SPECIFIED'}`,
        );
    }
  };

  return startAwsService({
    iam,
    signingName: 'iam',
    protocol: 'query',
    xmlns: IAM_XMLNS,
    regions: [iamSigningRegion(iam.partition)],
    tls: o.tls,
    route: (call) => route(call.params),
  });
}

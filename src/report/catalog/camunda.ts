import { defineCodes } from './define.js';

// `irsa-doctor camunda`: a Camunda 8 deployment read from the cluster (the Helm release and the live
// workloads), component by component. Fixes name the chart's values keys: they apply to `helm
// upgrade`, and equally to Argo CD or `helm template` installs, which render the same chart.
const UPGRADE = 'then helm upgrade {{release|RELEASE}} (or sync the Argo CD application) so the pods restart';

export const CAMUNDA_CODES = defineCodes({
  'CAMUNDA-RELEASE': {
    check: 'camunda',
    status: 'info',
    title: 'The Helm release the deployment was installed from',
    cause:
      "The namespace holds a Helm release of the camunda-platform chart; its deployed revision's values were read from Helm's release Secret (no helm binary, no chart download), and each component's facts name their source (the release values or the live workloads).",
    confirm: 'helm status {{release}} -n {{namespace}}; helm get values {{release}} -n {{namespace}}',
  },
  'CAMUNDA-NO-RELEASE': {
    check: 'camunda',
    status: 'info',
    title: 'No Helm release: the live workloads are the only source',
    cause:
      'The deployment was applied by Argo CD, `helm template | kubectl apply`, or another tool that leaves no Helm release Secret; or the release lives in another namespace. The components are read from the Deployments and StatefulSets the chart renders, which is what really runs.',
    confirm: 'kubectl get secrets -n {{namespace}} -l owner=helm; kubectl get deploy,sts -n {{namespace}}',
  },
  'CAMUNDA-RELEASE-UPGRADE-FAILED': {
    check: 'camunda',
    status: 'warn',
    title: "The release's newest revision did not deploy",
    cause:
      'helm upgrade failed or is still pending (a hook timed out, a resource was refused, the client was interrupted): what runs is the older deployed revision, which is the one read here; the newer values may never have reached the pods.',
    confirm: 'helm history {{release}} -n {{namespace}}',
    fix: 'Find why revision {{revision}} failed (helm history {{release}} -n {{namespace}}; kubectl get events -n {{namespace}}), fix it and upgrade again, or helm rollback {{release}} {{deployed}} -n {{namespace}} to settle on what runs.',
  },
  'CAMUNDA-RELEASE-UNREADABLE': {
    check: 'camunda',
    status: 'warn',
    title: 'The Helm release Secret could not be decoded; only the live workloads were read',
    cause:
      'The release Secret is not what Helm 3 writes (not base64, a corrupt gzip, not a release), is larger than the tool reads, or the release is not of the camunda-platform chart. The values could not be compared with what runs.',
    confirm: 'helm get values {{release}} -n {{namespace}}',
    fix: 'Check the release with helm get values {{release}} -n {{namespace}}; pass --release NAME if another release is the Camunda one.',
  },
  'CAMUNDA-RELEASE-AMBIGUOUS': {
    check: 'camunda',
    status: 'fail',
    title: 'Several Camunda installations in the namespace',
    cause:
      'More than one camunda-platform release (or more than one app.kubernetes.io/instance of Camunda workloads) lives in the namespace; the tool will not mix their components.',
    confirm: 'kubectl get deploy,sts -n {{namespace}} -L app.kubernetes.io/instance',
    fix: 'Name one with --release NAME (one of: {{candidates}}).',
  },
  'CAMUNDA-NOT-FOUND': {
    check: 'camunda',
    status: 'fail',
    title: 'No Camunda 8 deployment in the namespace',
    cause:
      "Neither a camunda-platform Helm release nor Deployments/StatefulSets with the chart's labels were found: a wrong -n or --context, a --release that names nothing, or workloads relabelled by a tool.",
    confirm: 'kubectl get deploy,sts -n {{namespace}} --show-labels',
    fix: 'Pass the namespace Camunda runs in (-n) and the cluster (--context){{hint}}; for a single workload of any application use irsa-doctor run -n NS --workload deploy/NAME.',
  },
  'CAMUNDA-KUBE-ERROR': {
    check: 'camunda',
    status: {
      fail: 'a read the discovery needs (the workloads) failed: nothing could be diagnosed',
      warn: 'a read that only adds or cross-checks facts (Helm release Secrets, ConfigMaps, ServiceAccounts) failed: the rest was diagnosed',
    },
    title: 'A Kubernetes read of the discovery failed',
    cause:
      'RBAC does not grant the read (see k8s/camunda-rbac.yaml), the API server did not answer in time, or something other than the API server answered.',
    confirm: 'kubectl auth can-i {{verb}} {{resource}} -n {{namespace}}',
    fix: 'Grant the read-only Role in k8s/camunda-rbac.yaml (kubectl apply -n {{namespace}} -f k8s/camunda-rbac.yaml and bind it to you), or check access to the API server, then rerun.',
  },
  'CAMUNDA-SA-MISSING': {
    check: 'camunda',
    status: 'fail',
    title: 'The component runs as a ServiceAccount that does not exist',
    cause:
      "The pod template names a ServiceAccount nobody created: the component's serviceAccount.enabled is false while serviceAccount.name is set (the chart then creates nothing), the name has a typo, or it was deleted. Kubernetes refuses to create the component's pods (error looking up service account).",
    confirm:
      'kubectl get serviceaccount {{serviceAccount}} -n {{namespace}}; kubectl describe {{workload}} -n {{namespace}}',
    fix: `Set {{valuesKey}}.serviceAccount.enabled: true (the chart creates {{serviceAccount}} with {{valuesKey}}.serviceAccount.annotations), or kubectl create serviceaccount {{serviceAccount}} -n {{namespace}} and annotate it with eks.amazonaws.com/role-arn; ${UPGRADE}.`,
  },
  'CAMUNDA-SA-NOT-ANNOTATED': {
    check: 'camunda',
    status: {
      fail: 'no role annotation, and the Pod Identity associations were listed: none is for this ServiceAccount',
      warn: 'no role annotation, and the Pod Identity associations could not be listed (no AWS credentials here): the component may use EKS Pod Identity',
    },
    title: 'The component uses AWS with IAM but its ServiceAccount has no role',
    cause:
      'The component is configured to sign its Aurora logins or OpenSearch requests with IAM, but its ServiceAccount carries no eks.amazonaws.com/role-arn (IRSA) and has no EKS Pod Identity association: the webhook injects nothing, the AWS SDK falls back to the node role or finds no credentials (401/403, PAM authentication failed).',
    confirm:
      "kubectl get serviceaccount {{serviceAccount}} -n {{namespace}} -o jsonpath='{.metadata.annotations}'; aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace {{namespace}} --service-account {{serviceAccount}}",
    fix: `Set {{valuesKey}}.serviceAccount.annotations: {eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT_ID:role/ROLE} (with {{valuesKey}}.serviceAccount.enabled: true), or create an EKS Pod Identity association for {{namespace}}/{{serviceAccount}}; the role's trust policy must name system:serviceaccount:{{namespace}}:{{serviceAccount}}; ${UPGRADE}.`,
  },
  'CAMUNDA-JDBC-NOT-IAM': {
    check: 'camunda',
    status: 'fail',
    title: 'The component logs in to Aurora/RDS without IAM',
    cause:
      'Its JDBC connection to an Aurora/RDS endpoint is plain jdbc:postgresql:// (the chart writes that form itself), the AWS JDBC wrapper is used without its iam plugin (wrapperPlugins), or the driver is not the wrapper (software.amazon.jdbc.Driver): the application sends a password, or none, instead of an IAM token (PAM authentication failed).',
    confirm: 'kubectl get {{workload}} -n {{namespace}} -o yaml | grep -iE "jdbc|driver|KEYCLOAK_JDBC"',
    fix: {
      identity: `Set identity.env (it overrides the chart's own jdbc:postgresql:// URL): SPRING_DATASOURCE_URL=jdbc:aws-wrapper:postgresql://{{host}}:{{port}}/{{database}}?wrapperPlugins=iam, SPRING_DATASOURCE_DRIVER_CLASS_NAME=software.amazon.jdbc.Driver, SPRING_DATASOURCE_USERNAME={{user}}; ${UPGRADE}.`,
      webModeler: `Set {{prefix}}.restapi.externalDatabase.url: jdbc:aws-wrapper:postgresql://{{host}}:{{port}}/{{database}}?wrapperPlugins=iam, {{prefix}}.restapi.externalDatabase.{{userKey}}: {{user}} and {{prefix}}.restapi.env SPRING_DATASOURCE_DRIVER_CLASS_NAME=software.amazon.jdbc.Driver; ${UPGRADE}.`,
      keycloak: `Set identityKeycloak.extraEnvVars: KEYCLOAK_JDBC_DRIVER=aws-wrapper:postgresql, KEYCLOAK_JDBC_PARAMS=wrapperPlugins=iam (other parameters such as ssl=true&sslmode=require may follow), KEYCLOAK_EXTRA_ARGS=--db-driver=software.amazon.jdbc.Driver, with identityKeycloak.image.repository camunda/keycloak (it bundles the wrapper), identityKeycloak.externalDatabase.host: {{host}}, .port: {{port}}, .database: {{database}} and .user: {{user}}; ${UPGRADE}.`,
      rdbms: `Set orchestration.data.secondaryStorage.rdbms.aws.enabled: true (with orchestration.data.secondaryStorage.rdbms.url and .username: {{user}}); ${UPGRADE}.`,
      driver: `Set {{envKey}} SPRING_DATASOURCE_DRIVER_CLASS_NAME=software.amazon.jdbc.Driver: a jdbc:aws-wrapper: URL needs the wrapper driver; ${UPGRADE}.`,
      workload:
        'Give {{workload}} the AWS JDBC wrapper: the URL jdbc:aws-wrapper:postgresql://{{host}}:{{port}}/{{database}}?wrapperPlugins=iam and the driver software.amazon.jdbc.Driver (SPRING_DATASOURCE_URL, SPRING_DATASOURCE_DRIVER_CLASS_NAME), then restart it.',
    },
  },
  'CAMUNDA-JDBC-NOT-AWS': {
    check: 'camunda',
    status: 'info',
    title: 'The component logs in to a PostgreSQL that is not an Aurora/RDS endpoint by name',
    cause:
      'The JDBC host is not an *.rds.amazonaws.com name and nothing in the configuration asks for IAM (no AWS JDBC wrapper, no iam plugin): a bundled or self-managed PostgreSQL with a password, which irsa-doctor does not check. A CNAME of an Aurora endpoint looks the same: then enable IAM as for CAMUNDA-JDBC-NOT-IAM.',
    confirm: 'nslookup {{host}}',
  },
  'CAMUNDA-OPENSEARCH-AWS-DISABLED': {
    check: 'camunda',
    status: {
      fail: 'the AWS switch next to an Amazon OpenSearch URL is off: requests go unsigned and are refused (the 401/403 crash loop)',
      warn: "the chart of this line renders no AWS switch for this client (8.7's zeebeOpensearch importer client); whether it signs depends on the application's default",
    },
    title: 'The component talks to Amazon OpenSearch with the AWS switch off',
    cause:
      "An OpenSearch client of the component points at an Amazon OpenSearch endpoint (or the one its other clients sign for) but its awsEnabled/aws-enabled switch is false or absent: it sends unsigned requests, which the domain refuses (camunda/camunda#45761, camunda-platform-helm#5497). An env entry may also override the chart's value with false.",
    confirm: 'kubectl get {{workload}} -n {{namespace}} -o yaml | grep -iE "aws.?enabled"',
    fix: {
      global: `Set global.opensearch.aws.enabled: true (8.7/8.8 render every component's switch from it); ${UPGRADE}.`,
      orchestration: `Set orchestration.data.secondaryStorage.opensearch.aws.enabled: true (8.9+: it renders camunda.data.secondary-storage.opensearch.aws-enabled, which Operate, Tasklist and the exporters follow); ${UPGRADE}.`,
      optimize: `Set optimize.database.opensearch.aws.enabled: true (8.9+); ${UPGRADE}.`,
      zeebeClient: `Add to {{valuesKey}}.env: {name: {{envName}}, value: "true"} (the 8.7 chart does not render this client's switch; 8.8 does); ${UPGRADE}.`,
      override: `Remove the setting that turns it off ({{source}}) or set it to true; ${UPGRADE}.`,
    },
  },
  'CAMUNDA-TARGET-UNKNOWN': {
    check: 'camunda',
    status: 'warn',
    title: "The component's Aurora or OpenSearch endpoint could not be read",
    cause:
      'The URL, host or user comes from a Secret (never read), from a ConfigMap that does not exist, from an unresolved Spring placeholder or from envFrom Secrets: the agent is not pointed at it and the IAM setting next to it could not be judged.',
    confirm: 'kubectl get {{workload}} -n {{namespace}} -o yaml',
    fix: 'Pass the endpoint to the agent yourself: irsa-doctor run -n {{namespace}} -s {{serviceAccount}} -- --postgres HOST:PORT --postgres-user USER (or --opensearch URL).',
  },
  'CAMUNDA-VALUES-DRIFT': {
    check: 'camunda',
    status: 'warn',
    title: 'What the pods run differs from the release values',
    cause:
      'The workload was changed by hand (kubectl edit, set env, a ServiceAccount annotated later), a helm upgrade did not restart it, a post-renderer or Argo CD patch changed it, or the release is not the one that deployed it. The live side is what the components really use, and it is what is diagnosed.',
    confirm:
      'helm get values {{release}} -n {{namespace}}; kubectl get {{workload}} -n {{namespace}} -o yaml',
    fix: 'Bring the two together: put the live setting into the values (or drop the manual change) and helm upgrade {{release}} -n {{namespace}}; differences: {{fields}}.',
  },
  'CAMUNDA-COMPONENT-OK': {
    check: 'camunda',
    status: 'pass',
    title: "The component's Camunda-side IAM configuration is consistent",
    cause:
      'Its ServiceAccount exists and carries a role (or it uses no AWS service with IAM), its Aurora JDBC connection uses the AWS wrapper with the iam plugin and its OpenSearch clients sign with SigV4.',
    confirm: 'kubectl get {{workload}} -n {{namespace}} -o yaml',
  },
});

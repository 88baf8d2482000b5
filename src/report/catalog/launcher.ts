import { defineCodes } from './define.js';

const RBAC_FIX =
  'Grant the launcher the permissions in k8s/rbac.yaml (set namespace: {{namespace}} in k8s/kustomization.yaml, then `kubectl apply -k k8s/`; bind your user or ServiceAccount), then rerun.';

/** Findings of `irsa-doctor run`: preflight, the Job's life, and reading the agent's report. */
export const LAUNCHER_CODES = defineCodes({
  'LAUNCH-NAMESPACE': {
    check: 'launcher',
    status: 'pass',
    title: 'The namespace exists',
    cause: 'Nothing is wrong.',
    confirm: 'kubectl get namespace {{namespace}}',
  },
  'LAUNCH-NAMESPACE-MISSING': {
    check: 'launcher',
    status: 'fail',
    title: 'The namespace does not exist',
    cause: 'A typo in -n, the wrong kubeconfig context (another cluster), or the namespace was deleted.',
    confirm: 'kubectl config current-context; kubectl get namespaces',
    fix: 'There is no namespace {{namespace}} in the cluster the kubeconfig context points at: pass the namespace the workload runs in with -n, or the context of its cluster with --context.',
  },
  'LAUNCH-NAMESPACE-UNCHECKED': {
    check: 'launcher',
    status: 'skip',
    title: 'Whether the namespace exists was not checked',
    cause: 'RBAC does not let the launcher get namespaces (a namespaced Role cannot grant it).',
    confirm: 'kubectl auth can-i get namespaces',
    fix: 'None needed; bind the ClusterRole in k8s/rbac.yaml to have it checked.',
  },
  'LAUNCH-SA-OK': {
    check: 'launcher',
    status: 'pass',
    title: 'The ServiceAccount exists and carries a well-formed role ARN',
    cause: 'Nothing is wrong.',
    confirm:
      "kubectl get serviceaccount -n {{namespace}} {{serviceAccount}} -o jsonpath='{.metadata.annotations}'",
  },
  'LAUNCH-SA-MISSING': {
    check: 'launcher',
    status: 'fail',
    title: 'The ServiceAccount does not exist',
    cause:
      'A typo in -s; the ServiceAccount lives in another namespace; the Helm chart that creates it has serviceAccount.create=false; it was deleted. Kubernetes refuses to create a pod for a missing ServiceAccount ("error looking up service account").',
    confirm: 'kubectl get serviceaccounts -n {{namespace}}',
    fix: 'Create it (`kubectl create serviceaccount -n {{namespace}} {{serviceAccount}}`, then annotate it with eks.amazonaws.com/role-arn), or pass the right -n/-s.',
  },
  'LAUNCH-SA-UNCHECKED': {
    check: 'launcher',
    status: 'skip',
    title: 'The ServiceAccount was not checked',
    cause: 'RBAC does not let the launcher get serviceaccounts in the namespace.',
    confirm: 'kubectl auth can-i get serviceaccounts -n {{namespace}}',
    fix: RBAC_FIX,
  },
  'LAUNCH-SA-NOT-ANNOTATED': {
    check: 'launcher',
    status: {
      warn: 'the ServiceAccount under test has no role annotation (it may use EKS Pod Identity)',
      fail: '--all found no annotated ServiceAccount to check',
    },
    title: 'The ServiceAccount has no eks.amazonaws.com/role-arn annotation',
    cause:
      "IRSA is not configured for this ServiceAccount (the webhook only acts on annotated ServiceAccounts). Before it warns, a single run asks EKS, with the launcher's own AWS credentials, whether the ServiceAccount has a Pod Identity association (which needs no annotation); the message says what EKS answered, or why it could not be asked (details.podIdentityUnlisted.reason), in which case the agent run tells which applies.",
    confirm:
      "kubectl get serviceaccount -n {{namespace}} {{serviceAccount}} -o jsonpath='{.metadata.annotations}'",
    fix: {
      one: '`kubectl annotate serviceaccount -n {{namespace}} {{serviceAccount}} eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME`, then restart the workload.',
      none: "Annotate the workload's ServiceAccount (`kubectl annotate serviceaccount -n {{namespace}} SA eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME`), or name it with -s (EKS Pod Identity needs no annotation).",
    },
  },
  'LAUNCH-SA-ARN-INVALID': {
    check: 'launcher',
    status: 'fail',
    title: 'The role-arn annotation is not a well-formed role ARN',
    cause:
      'Stray whitespace or quotes from YAML, an account ID that is not 12 digits, a user or assumed-role ARN instead of the role. The webhook still injects it and STS answers ValidationError.',
    confirm:
      "kubectl get serviceaccount -n {{namespace}} {{serviceAccount}} -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: '`kubectl annotate --overwrite serviceaccount -n {{namespace}} {{serviceAccount}} eks.amazonaws.com/role-arn={{suggestion}}`',
  },
  'LAUNCH-SA-POD-IDENTITY': {
    check: 'launcher',
    status: 'pass',
    title: 'The ServiceAccount has an EKS Pod Identity association',
    cause:
      'Nothing is wrong: EKS lists a Pod Identity association for it (eks:ListPodIdentityAssociations, asked by run --all, and by a single run of a ServiceAccount without a role-arn annotation), so it needs no annotation; where it has one too, the association takes precedence in its pods.',
    confirm:
      'aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace {{namespace}} --service-account {{serviceAccount}}',
  },
  'LAUNCH-POD-IDENTITY-UNLISTED': {
    check: 'launcher',
    status: 'skip',
    title: 'ServiceAccounts that use only EKS Pod Identity were not listed',
    cause:
      "run --all lists EKS Pod Identity associations with the launcher's own AWS credentials (the SDK's standard chain: AWS_PROFILE, SSO, environment, the pod's role in a CronJob). Without a region or credentials, without eks:ListPodIdentityAssociations (and eks:DescribeCluster / eks:ListClusters to find the cluster), or when the kubeconfig's server is no EKS cluster it could find, only ServiceAccounts with a role-arn annotation are checked. details.reason says which.",
    confirm:
      'aws sts get-caller-identity; aws eks list-pod-identity-associations --cluster-name CLUSTER --region REGION',
    fix: 'Give the launcher AWS credentials and a region (AWS_PROFILE / `aws sso login` / AWS_REGION; in a CronJob, a role for its ServiceAccount) allowed eks:ListPodIdentityAssociations, eks:DescribeCluster and eks:ListClusters; pass --cluster NAME where the kubeconfig does not name the cluster (in-cluster).',
  },
  'LAUNCH-WEBHOOK-OK': {
    check: 'launcher',
    status: 'pass',
    title: 'The pod-identity-webhook MutatingWebhookConfiguration exists',
    cause: 'Nothing is wrong.',
    confirm: 'kubectl get mutatingwebhookconfiguration pod-identity-webhook',
  },
  'LAUNCH-WEBHOOK-MISSING': {
    check: 'launcher',
    status: 'warn',
    title: 'The pod-identity-webhook MutatingWebhookConfiguration does not exist',
    cause:
      'A self-managed cluster without amazon-eks-pod-identity-webhook installed, or it was deleted. Pods then start without AWS_ROLE_ARN or the token.',
    confirm: 'kubectl get mutatingwebhookconfigurations',
    fix: 'On EKS the webhook is managed (contact AWS support if it is gone); on other clusters install aws/amazon-eks-pod-identity-webhook.',
  },
  'LAUNCH-WEBHOOK-UNCHECKED': {
    check: 'launcher',
    status: 'skip',
    title: 'The webhook configuration was not checked',
    cause: 'RBAC does not let the launcher get mutatingwebhookconfigurations (cluster-scoped).',
    confirm: 'kubectl auth can-i get mutatingwebhookconfigurations',
    fix: 'None needed; bind the ClusterRole in k8s/rbac.yaml to have it checked. The pod spec check (LAUNCH-MUTATED) still tells whether the webhook acted.',
  },
  'LAUNCH-JOB-CREATED': {
    check: 'launcher',
    status: 'pass',
    title: 'The diagnostic Job was created',
    cause: 'Nothing is wrong.',
    confirm: 'kubectl get job -n {{namespace}} -l app.kubernetes.io/managed-by=irsa-doctor',
  },
  'LAUNCH-CA-CONFIGMAP': {
    check: 'launcher',
    status: {
      pass: 'the ConfigMap that --postgres-ca-configmap names holds the key, so the agent gets the bundle',
      skip: 'RBAC does not let the launcher read the ConfigMap; the Job mounts it anyway',
    },
    title: 'The CA bundle ConfigMap for the agent',
    cause:
      "run --postgres-ca-configmap NAME[/KEY] mounts an existing ConfigMap into the pod as the agent's --postgres-ca; the launcher reads it first where RBAC allows (configmaps get).",
    confirm: 'kubectl get configmap -n {{namespace}} NAME -o jsonpath="{.data}"',
  },
  'LAUNCH-CA-CONFIGMAP-MISSING': {
    check: 'launcher',
    status: 'fail',
    title: 'The CA bundle ConfigMap does not exist, or lacks the key',
    cause:
      'A typo in --postgres-ca-configmap, the ConfigMap lives in another namespace (it must be in the namespace of the ServiceAccount under test), or its bundle is under another key. The kubelet would never start the pod ("configmap not found" / "references non-existent config key"), so no Job was created.',
    confirm: 'kubectl get configmaps -n {{namespace}}',
    fix: {
      configMap:
        'Create it in {{namespace}} (`kubectl create configmap -n {{namespace}} {{configMap}} --from-file=ca.crt=global-bundle.pem`), or pass --postgres-ca FILE and the launcher carries the file itself.',
      key: 'Name the key that holds the bundle: --postgres-ca-configmap {{configMap}}/KEY (keys: {{keys|none}}).',
    },
  },
  'LAUNCH-FORBIDDEN': {
    check: 'launcher',
    status: 'fail',
    title: 'RBAC forbids what the launcher needs',
    cause:
      'The kubeconfig user (or the pod ServiceAccount in-cluster) lacks a verb the launcher needs: create/get/delete jobs, list/watch pods, get pods/log, list events; with --postgres-ca create/delete configmaps.',
    confirm:
      'kubectl auth can-i create jobs.batch -n {{namespace}}; kubectl auth can-i get pods --subresource=log -n {{namespace}}',
    fix: RBAC_FIX,
  },
  'LAUNCH-JOB-REJECTED': {
    check: 'launcher',
    status: 'fail',
    title: 'The API server refused the Job',
    cause:
      'An admission policy (Kyverno, Gatekeeper, ValidatingAdmissionPolicy) denied it, a ResourceQuota is exhausted, or the manifest is invalid for this Kubernetes version.',
    confirm: 'irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
    fix: {
      quota: 'Raise the ResourceQuota of {{namespace}} for jobs/pods, or delete finished Jobs.',
      policy:
        'Allow the Job (labels app.kubernetes.io/name=irsa-doctor) in the policy the message names, or adjust --image / --node-selector / --toleration.',
    },
  },
  'LAUNCH-API-ERROR': {
    check: 'launcher',
    status: 'fail',
    title: 'The Kubernetes API could not be used',
    cause:
      "The API server is unreachable (VPN, private-only EKS endpoint, wrong context), accepts the connection but never answers within the deadline (10 s per call, --timeout for preflight; details.noAnswer), the credentials expired (401) or the kubeconfig's exec plugin stopped giving one during the run, or it answered an unexpected error. The message and details.server name the API server the kubeconfig points at.",
    confirm: 'kubectl --context CONTEXT get --raw /version',
    fix: {
      unauthorized:
        'Refresh the kubeconfig credentials (`aws eks update-kubeconfig --name {{cluster}}`) and rerun.',
      credentials:
        "Fix what the message says about the kubeconfig's exec plugin (for `aws eks get-token`: `aws sso login`, or the AWS profile it names), then rerun.",
      noAnswer:
        'Check that this machine reaches {{server|the API server}} (VPN, a private-only EKS endpoint, proxy, security group): `kubectl get --raw /version` with the same --context; raise --timeout only if the API server is just slow.',
      other:
        'Check access to {{server|the cluster}} (`kubectl get --raw /version` with the same --context) and rerun.',
    },
  },
  'LAUNCH-API-NOT-KUBERNETES': {
    check: 'launcher',
    status: 'fail',
    title: 'The API server answered something that is not Kubernetes',
    cause:
      "The kubeconfig's server is not a Kubernetes API server, or something in front of it answers instead: a proxy's login page (HTML with status 200), a load balancer's error page, a web server on the wrong port, JSON that is not the object asked for (details.problem), or an answer far larger than any the API sends (details.limitBytes). Nothing it said was believed, so no Job was created from it.",
    confirm:
      "kubectl --context CONTEXT get --raw /version (a Kubernetes API server answers JSON with gitVersion); kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'",
    fix: {
      shape:
        'Point the kubeconfig at the API server itself ({{server|the server}} answers something else): `aws eks update-kubeconfig --name CLUSTER` rewrites an EKS entry; if a proxy sits in between, set proxy-url in the kubeconfig cluster or bypass the proxy for the API endpoint (NO_PROXY).',
      tooLarge:
        'Check what answers at {{server|the server}} (`kubectl get --raw` with the same --context): a Kubernetes API server never sends that much for these reads.',
    },
  },
  'LAUNCH-POD-SECURITY': {
    check: 'launcher',
    status: 'fail',
    title: 'Pod Security rejected the pod, or the Job itself',
    cause:
      'The namespace enforces a Pod Security level the pod does not meet (the launcher Job meets "restricted"; --image with a root user or an older manifest may not); or a policy engine applying the Pod Security Standards to pod templates (e.g. Kyverno\'s podSecurity rule) refused the Job at creation ("violates PodSecurity" in its denial; details.refused says job or pod).',
    confirm:
      'kubectl describe job -n {{namespace}} JOB (FailedCreate event); kubectl get ns {{namespace}} --show-labels; for a refused Job: irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
    fix: {
      pod: 'Run the launcher\'s Job unchanged (it meets "restricted"), or relax the namespace label pod-security.kubernetes.io/enforce on {{namespace}} only if your policy allows it.',
      job: 'Run the launcher\'s Job unchanged (it meets "restricted"); if the policy the message names still refuses it, add an exception for Jobs labelled app.kubernetes.io/name=irsa-doctor in {{namespace}}.',
    },
  },
  'LAUNCH-POD-CREATE-FAILED': {
    check: 'launcher',
    status: 'fail',
    title: 'The Job could not create its pod',
    cause: 'A ResourceQuota or LimitRange refused it, or another admission plugin denied the pod.',
    confirm: 'kubectl describe job -n {{namespace}} JOB (FailedCreate event)',
    fix: {
      quota:
        'Raise the ResourceQuota in {{namespace}} (the Job requests 50m CPU / 64Mi and limits 500m / 256Mi).',
      other: 'Correct what the message names (`kubectl describe job -n {{namespace}} {{job}}`).',
    },
  },
  'LAUNCH-UNSCHEDULABLE': {
    check: 'launcher',
    status: 'fail',
    title: 'The pod cannot be scheduled',
    cause:
      'No node matches --node-selector / tolerations, the nodes are full (requests 50m CPU / 64Mi), or all nodes are tainted.',
    confirm: 'kubectl describe pod -n {{namespace}} POD (FailedScheduling event)',
    fix: 'Pass --node-selector KEY=VALUE / --toleration KEY=VALUE:EFFECT matching the nodes your workload runs on (`kubectl get pods -n {{namespace}} -o wide` shows them; `kubectl get node NODE --show-labels` their labels).',
  },
  'LAUNCH-IMAGE-PULL': {
    check: 'launcher',
    status: 'fail',
    title: 'The image could not be pulled',
    cause:
      'The image or tag does not exist, the registry needs credentials (--image-pull-secret), or the nodes cannot reach the registry (private subnets without NAT or a pull-through cache).',
    confirm: 'kubectl describe pod -n {{namespace}} POD (Failed / BackOff events)',
    fix: 'Make {{image|the image}} pullable from the nodes: mirror it to a registry they reach (e.g. ECR) and pass --image, or add --image-pull-secret NAME if the registry needs credentials.',
  },
  'LAUNCH-CONTAINER-CONFIG': {
    check: 'launcher',
    status: 'fail',
    title: 'The container could not be created',
    cause:
      'CreateContainerConfigError / CreateContainerError: e.g. "container has runAsNonRoot and image will run as root" with a custom --image, or a missing secret.',
    confirm: 'kubectl describe pod -n {{namespace}} POD',
    fix: 'Use the published image (it runs as UID 65532), or build yours with a numeric non-root USER.',
  },
  'LAUNCH-DEADLINE': {
    check: 'launcher',
    status: 'fail',
    title: 'The Job ran out of time',
    cause:
      'The pod did not finish within --timeout: a slow image pull, a pending pod, or the agent waiting on an endpoint longer than the Job deadline.',
    confirm: 'kubectl describe job -n {{namespace}} JOB (DeadlineExceeded)',
    fix: {
      job: 'Raise --timeout (seconds); if the pod was pulling, mirror the image closer to the nodes (--image).',
      wait: 'Raise --timeout (seconds); to see what held the Job up, rerun with --keep and look at it with the `kubectl describe job` command that LAUNCH-KEPT names.',
    },
  },
  'LAUNCH-MUTATED': {
    check: 'launcher',
    status: 'pass',
    title: 'The webhook injected the IRSA env and token volume',
    cause: 'Nothing is wrong.',
    confirm: 'kubectl get pod -n {{namespace}} POD -o yaml (env AWS_ROLE_ARN, volume aws-iam-token)',
  },
  'LAUNCH-NOT-MUTATED': {
    check: 'launcher',
    status: {
      fail: 'the webhook did not act, so every pod of this ServiceAccount runs without IRSA',
      warn: 'the pod got EKS Pod Identity instead: an association for the ServiceAccount takes precedence',
    },
    title: 'The webhook did not inject IRSA into the pod although the ServiceAccount is annotated',
    cause:
      "The pod-identity-webhook is down or its MutatingWebhookConfiguration is missing or has a bad caBundle (failurePolicy Ignore lets the pod start unmutated); the ServiceAccount was annotated seconds ago and is not yet in the webhook's cache; the pod is skipped (label eks.amazonaws.com/skip-pod-identity-webhook); an EKS Pod Identity association for the ServiceAccount takes precedence.",
    confirm:
      'kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml; on EKS check the control plane logs; aws eks list-pod-identity-associations --cluster-name CLUSTER',
    fix: {
      podIdentity:
        'Keep one mechanism: delete the Pod Identity association (`aws eks delete-pod-identity-association`), or remove the role-arn annotation (`kubectl annotate serviceaccount -n {{namespace}} {{serviceAccount}} eks.amazonaws.com/role-arn-`).',
      webhookMissing:
        'Reinstall amazon-eks-pod-identity-webhook (on EKS it is managed: contact AWS support), then restart the workloads that run as {{namespace}}/{{serviceAccount}}.',
      webhook:
        'Check the webhook (`kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml`; on EKS the control plane logs), wait a minute after annotating, then restart the workloads that run as {{namespace}}/{{serviceAccount}} so their new pods are mutated.',
    },
  },
  'LAUNCH-NO-REPORT': {
    check: 'launcher',
    status: 'fail',
    title: "No usable report in the agent's log",
    cause:
      'The container crashed or was OOMKilled before printing, the image is not irsa-doctor (--image), the log was truncated, the image speaks another report schemaVersion, or the log is longer than the 8 MiB the launcher reads (details.reason too-large).',
    confirm: 'irsa-doctor run ... --keep, then kubectl logs -n {{namespace}} job/JOB',
    fix: {
      disappeared: 'Rerun; do not delete irsa-doctor Jobs while they run.',
      failedNoPod: 'Rerun with --keep and look at `kubectl describe job`.',
      schemaVersion: 'Run the image that matches this launcher (omit --image to get it).',
      oomKilled:
        'The agent ran out of memory (limit 256Mi): report it with the log, and run it with `kubectl run` (docs/launcher.md) meanwhile.',
      other: 'Check that --image is irsa-doctor, and read the log excerpt in the details.',
      tooLarge:
        'See what fills the log: rerun with --keep, then `kubectl logs -n {{namespace}} job/JOB | head`; the agent itself prints one report of a few hundred KiB at most.',
    },
  },
  'LAUNCH-AGENT-NOT-RUN': {
    check: 'launcher',
    status: 'info',
    title: 'The agent did not report: the mechanism was not determined',
    cause:
      'The run stopped before the agent printed a report (preflight stopped it, the Job or pod failed, the API was unreachable, or it was interrupted); the other LAUNCH-* findings say why. context.mechanism is then "none" only because the report needs a value.',
    confirm: 'The failing LAUNCH-* finding in the same check.',
    fix: 'Correct what the failing LAUNCH-* finding names and rerun; the agent then reports the mechanism.',
  },
  'LAUNCH-INTERRUPTED': {
    check: 'launcher',
    status: 'fail',
    title: 'The run was interrupted',
    cause: 'SIGINT (Ctrl-C) or SIGTERM before the agent finished.',
    confirm: 'kubectl get jobs -n {{namespace}} -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: {
      run: 'Rerun and let it finish (it stops by itself after --timeout).',
      sweep: 'Rerun and let it finish (each ServiceAccount stops by itself after --timeout).',
    },
  },
  'LAUNCH-KEPT': {
    check: 'launcher',
    status: 'info',
    title: 'The Job was kept (--keep)',
    cause: '--keep was given.',
    confirm: 'kubectl get job -n {{namespace}} JOB',
    fix: 'Look at it with: `kubectl describe job -n {{namespace}} {{job}}`; `kubectl logs -n {{namespace}} job/{{job}}`. Delete it when done: `kubectl delete job -n {{namespace}} {{job}}`',
  },
  'LAUNCH-JOB-DELETED': {
    check: 'launcher',
    status: 'pass',
    title: 'The diagnostic Job was deleted',
    cause: 'None: the launcher always removes its Job (propagationPolicy Background) unless --keep.',
    confirm: 'kubectl get jobs -n {{namespace}} -l app.kubernetes.io/managed-by=irsa-doctor',
  },
  'LAUNCH-CLEANUP-FAILED': {
    check: 'launcher',
    status: 'warn',
    title: 'The Job could not be deleted',
    cause:
      'RBAC lacks delete on jobs, or the API did not answer the delete within its 5 s (details.command is the kubectl command that removes the Job).',
    confirm: 'kubectl get jobs -n {{namespace}} -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: '`kubectl delete job -n {{namespace}} {{job}}` (its activeDeadlineSeconds stops the pod and ttlSecondsAfterFinished removes the Job once it has finished, if nobody does).',
  },
});

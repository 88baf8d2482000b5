import type { CodeCatalog } from './code-info.js';

const RBAC_FIX =
  'Grant the launcher the verbs in k8s/rbac.yaml: `kubectl apply -n NAMESPACE -f k8s/rbac.yaml` (adjust the subject), then rerun.';

/** Findings of `irsa-doctor run`: preflight, the Job's life, and reading the agent's report. */
export const LAUNCHER_CODES: CodeCatalog = {
  'LAUNCH-NAMESPACE': {
    title: 'The namespace exists',
    cause: 'None.',
    confirm: 'kubectl get namespace NAMESPACE',
    fix: 'None.',
  },
  'LAUNCH-NAMESPACE-MISSING': {
    title: 'The namespace does not exist',
    cause: 'A typo in -n, the wrong kubeconfig context (another cluster), or the namespace was deleted.',
    confirm: 'kubectl config current-context; kubectl get namespaces',
    fix: 'Pass the namespace the workload runs in (-n NAMESPACE) and the right --context.',
  },
  'LAUNCH-NAMESPACE-UNCHECKED': {
    title: 'Whether the namespace exists was not checked',
    cause: 'RBAC does not let the launcher get namespaces (a namespaced Role cannot grant it).',
    confirm: 'kubectl auth can-i get namespaces',
    fix: 'None needed; bind the ClusterRole in k8s/rbac.yaml to have it checked.',
  },
  'LAUNCH-SA-OK': {
    title: 'The ServiceAccount exists and carries a well-formed role ARN',
    cause: 'None.',
    confirm: "kubectl get serviceaccount -n NAMESPACE SA -o jsonpath='{.metadata.annotations}'",
    fix: 'None.',
  },
  'LAUNCH-SA-MISSING': {
    title: 'The ServiceAccount does not exist',
    cause:
      'A typo in -s; the ServiceAccount lives in another namespace; the Helm chart that creates it has serviceAccount.create=false; it was deleted. Kubernetes refuses to create a pod for a missing ServiceAccount ("error looking up service account").',
    confirm: 'kubectl get serviceaccounts -n NAMESPACE',
    fix: 'Create the ServiceAccount (`kubectl create serviceaccount -n NAMESPACE SA` and annotate it), or pass the right -n/-s.',
  },
  'LAUNCH-SA-UNCHECKED': {
    title: 'The ServiceAccount was not checked',
    cause: 'RBAC does not let the launcher get serviceaccounts in the namespace.',
    confirm: 'kubectl auth can-i get serviceaccounts -n NAMESPACE',
    fix: RBAC_FIX,
  },
  'LAUNCH-SA-NOT-ANNOTATED': {
    title: 'The ServiceAccount has no eks.amazonaws.com/role-arn annotation',
    cause:
      'IRSA is not configured for this ServiceAccount (the webhook only acts on annotated ServiceAccounts); or the workload uses EKS Pod Identity, which needs no annotation (the agent run tells which).',
    confirm: "kubectl get serviceaccount -n NAMESPACE SA -o jsonpath='{.metadata.annotations}'",
    fix: 'kubectl annotate serviceaccount -n NAMESPACE SA eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME (then restart the workload), or create an EKS Pod Identity association.',
  },
  'LAUNCH-SA-ARN-INVALID': {
    title: 'The role-arn annotation is not a well-formed role ARN',
    cause:
      'Stray whitespace or quotes from YAML, an account ID that is not 12 digits, a user or assumed-role ARN instead of the role. The webhook still injects it and STS answers ValidationError.',
    confirm:
      "kubectl get serviceaccount -n NAMESPACE SA -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    fix: 'kubectl annotate --overwrite serviceaccount -n NAMESPACE SA eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME',
  },
  'LAUNCH-WEBHOOK-OK': {
    title: 'The pod-identity-webhook MutatingWebhookConfiguration exists',
    cause: 'None.',
    confirm: 'kubectl get mutatingwebhookconfiguration pod-identity-webhook',
    fix: 'None.',
  },
  'LAUNCH-WEBHOOK-MISSING': {
    title: 'The pod-identity-webhook MutatingWebhookConfiguration does not exist',
    cause:
      'A self-managed cluster without amazon-eks-pod-identity-webhook installed, or it was deleted. Pods then start without AWS_ROLE_ARN or the token.',
    confirm: 'kubectl get mutatingwebhookconfigurations',
    fix: 'On EKS the webhook is managed; elsewhere install aws/amazon-eks-pod-identity-webhook (its deploy/ manifests or chart).',
  },
  'LAUNCH-WEBHOOK-UNCHECKED': {
    title: 'The webhook configuration was not checked',
    cause: 'RBAC does not let the launcher get mutatingwebhookconfigurations (cluster-scoped).',
    confirm: 'kubectl auth can-i get mutatingwebhookconfigurations',
    fix: 'None needed; bind the ClusterRole in k8s/rbac.yaml to have it checked. The pod spec check (LAUNCH-MUTATED) still tells whether the webhook acted.',
  },
  'LAUNCH-JOB-CREATED': {
    title: 'The diagnostic Job was created',
    cause: 'None.',
    confirm: 'kubectl get job -n NAMESPACE -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: 'None.',
  },
  'LAUNCH-FORBIDDEN': {
    title: 'RBAC forbids what the launcher needs',
    cause:
      'The kubeconfig user (or the pod ServiceAccount in-cluster) lacks a verb the launcher needs: create/get/delete jobs, list/watch pods, get pods/log, list events.',
    confirm:
      'kubectl auth can-i create jobs.batch -n NAMESPACE; kubectl auth can-i get pods --subresource=log -n NAMESPACE',
    fix: RBAC_FIX,
  },
  'LAUNCH-JOB-REJECTED': {
    title: 'The API server refused the Job',
    cause:
      'An admission policy (Kyverno, Gatekeeper, ValidatingAdmissionPolicy) denied it, a ResourceQuota is exhausted, or the manifest is invalid for this Kubernetes version.',
    confirm: 'irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
    fix: 'Allow the Job in the policy named in the message (labels app.kubernetes.io/name=irsa-doctor), or adjust the flags that shape it (--image, --node-selector, --toleration).',
  },
  'LAUNCH-API-ERROR': {
    title: 'The Kubernetes API could not be used',
    cause:
      'The API server is unreachable (VPN, private-only EKS endpoint, wrong context), accepts the connection but never answers within the deadline (10 s per call, --timeout for preflight; details.noAnswer), the credentials expired (401), or it answered an unexpected error. The message and details.server name the API server the kubeconfig points at.',
    confirm: 'kubectl --context CONTEXT get --raw /version',
    fix: 'Fix access to the cluster (refresh credentials: aws eks update-kubeconfig --name CLUSTER), then rerun.',
  },
  'LAUNCH-POD-SECURITY': {
    title: 'Pod Security rejected the pod, or the Job itself',
    cause:
      'The namespace enforces a Pod Security level the pod does not meet (the launcher Job meets "restricted"; --image with a root user or an older manifest may not); or a policy engine applying the Pod Security Standards to pod templates (e.g. Kyverno\'s podSecurity rule) refused the Job at creation ("violates PodSecurity" in its denial; details.refused says job or pod).',
    confirm:
      'kubectl describe job -n NAMESPACE JOB (FailedCreate event); kubectl get ns NAMESPACE --show-labels; for a refused Job: irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
    fix: 'Use the launcher Job unchanged (it sets runAsNonRoot, drop ALL, seccomp RuntimeDefault, allowPrivilegeEscalation false), or apply k8s/job-example.yaml; if a policy engine still refuses it, add an exception for Jobs labelled app.kubernetes.io/name=irsa-doctor.',
  },
  'LAUNCH-POD-CREATE-FAILED': {
    title: 'The Job could not create its pod',
    cause: 'A ResourceQuota or LimitRange refused it, or another admission plugin denied the pod.',
    confirm: 'kubectl describe job -n NAMESPACE JOB (FailedCreate event)',
    fix: 'Fix what the FailedCreate message names (raise the quota, or allow the pod in the policy).',
  },
  'LAUNCH-UNSCHEDULABLE': {
    title: 'The pod cannot be scheduled',
    cause:
      'No node matches --node-selector / tolerations, the nodes are full (requests 50m CPU / 64Mi), or all nodes are tainted.',
    confirm: 'kubectl describe pod -n NAMESPACE POD (FailedScheduling event)',
    fix: 'Pass --node-selector / --toleration matching the nodes your workload runs on (the same as its pod spec).',
  },
  'LAUNCH-IMAGE-PULL': {
    title: 'The image could not be pulled',
    cause:
      'The image or tag does not exist, the registry needs credentials (--image-pull-secret), or the nodes cannot reach the registry (private subnets without NAT or a pull-through cache).',
    confirm: 'kubectl describe pod -n NAMESPACE POD (Failed / BackOff events)',
    fix: 'Mirror the image to a registry the nodes reach (e.g. ECR) and pass --image, adding --image-pull-secret NAME if it needs credentials.',
  },
  'LAUNCH-CONTAINER-CONFIG': {
    title: 'The container could not be created',
    cause:
      'CreateContainerConfigError / CreateContainerError: e.g. "container has runAsNonRoot and image will run as root" with a custom --image, or a missing secret.',
    confirm: 'kubectl describe pod -n NAMESPACE POD',
    fix: 'Use the published image (it runs as UID 65532), or build yours with a numeric non-root USER.',
  },
  'LAUNCH-DEADLINE': {
    title: 'The Job ran out of time',
    cause:
      'The pod did not finish within --timeout: a slow image pull, a pending pod, or the agent waiting on an endpoint longer than the Job deadline.',
    confirm: 'kubectl describe job -n NAMESPACE JOB (DeadlineExceeded)',
    fix: 'Raise --timeout (seconds), or pre-pull / mirror the image close to the nodes.',
  },
  'LAUNCH-MUTATED': {
    title: 'The webhook injected the IRSA env and token volume',
    cause: 'None.',
    confirm: 'kubectl get pod -n NAMESPACE POD -o yaml (env AWS_ROLE_ARN, volume aws-iam-token)',
    fix: 'None.',
  },
  'LAUNCH-NOT-MUTATED': {
    title: 'The webhook did not inject IRSA into the pod although the ServiceAccount is annotated',
    cause:
      "The pod-identity-webhook is down or its MutatingWebhookConfiguration is missing or has a bad caBundle (failurePolicy Ignore lets the pod start unmutated); the ServiceAccount was annotated seconds ago and is not yet in the webhook's cache; the pod is skipped (label eks.amazonaws.com/skip-pod-identity-webhook); an EKS Pod Identity association for the ServiceAccount takes precedence.",
    confirm:
      'kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml; on EKS check the control plane logs; aws eks list-pod-identity-associations --cluster-name CLUSTER',
    fix: 'Restore the webhook (on EKS it is managed: open a support case if its configuration is gone), wait a minute after annotating, then restart the workload so new pods are mutated.',
  },
  'LAUNCH-NO-REPORT': {
    title: "No usable report in the agent's log",
    cause:
      'The container crashed or was OOMKilled before printing, the image is not irsa-doctor (--image), the log was truncated, or the image speaks another report schemaVersion.',
    confirm: 'irsa-doctor run ... --keep, then kubectl logs -n NAMESPACE job/JOB',
    fix: 'Use the image matching the launcher version (the default), and look at the log excerpt in the details.',
  },
  'LAUNCH-AGENT-NOT-RUN': {
    title: 'The agent did not report: the mechanism was not determined',
    cause:
      'The run stopped before the agent printed a report (preflight stopped it, the Job or pod failed, the API was unreachable, or it was interrupted); the other LAUNCH-* findings say why. context.mechanism is then "none" only because the report needs a value.',
    confirm: 'The failing LAUNCH-* finding in the same check.',
    fix: 'Fix what the failing LAUNCH-* finding names and rerun; the agent then reports the mechanism.',
  },
  'LAUNCH-INTERRUPTED': {
    title: 'The run was interrupted',
    cause: 'SIGINT (Ctrl-C) or SIGTERM before the agent finished.',
    confirm: 'kubectl get jobs -n NAMESPACE -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: 'Rerun; the Job was deleted unless --keep was given.',
  },
  'LAUNCH-KEPT': {
    title: 'The Job was kept (--keep)',
    cause: '--keep was given.',
    confirm: 'kubectl get job -n NAMESPACE JOB',
    fix: 'kubectl delete job -n NAMESPACE JOB when done (its TTL removes it otherwise).',
  },
  'LAUNCH-JOB-DELETED': {
    title: 'The diagnostic Job was deleted',
    cause: 'None: the launcher always removes its Job (propagationPolicy Background) unless --keep.',
    confirm: 'kubectl get jobs -n NAMESPACE -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: 'None.',
  },
  'LAUNCH-CLEANUP-FAILED': {
    title: 'The Job could not be deleted',
    cause:
      'RBAC lacks delete on jobs, or the API did not answer the delete within its 5 s (details.command is the kubectl command that removes the Job).',
    confirm: 'kubectl get jobs -n NAMESPACE -l app.kubernetes.io/managed-by=irsa-doctor',
    fix: 'kubectl delete job -n NAMESPACE JOB (its ttlSecondsAfterFinished removes it once finished).',
  },
};

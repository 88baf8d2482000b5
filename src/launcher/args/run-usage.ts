import { REPORT_USAGE } from '../../cli/report-options.js';
import { TOOL_VERSION } from '../../version.js';
import { DEFAULT_IMAGE } from '../job/image.js';
import { DEFAULT_PARALLEL, DEFAULT_RUN_TIMEOUT_SECONDS } from './parse-run-args.js';

export const RUN_USAGE = `Usage: irsa-doctor run -n NAMESPACE -s SERVICE_ACCOUNT [flags] [-- AGENT_FLAGS...]
       irsa-doctor run -n NAMESPACE --workload deploy/NAME|sts/NAME|job/NAME [flags] [-- AGENT_FLAGS...]
       irsa-doctor run --all [-n NAMESPACE | -A] [flags] [-- AGENT_FLAGS...]

Runs 'irsa-doctor check' inside the cluster as a one-shot Job under the ServiceAccount you name,
so it sees exactly what your workload's pods see: the injected env, the projected token, the node's
network. Before that it checks the namespace, the ServiceAccount and its eks.amazonaws.com/role-arn
annotation, and the pod-identity-webhook; afterwards it reads the pod spec (did the webhook inject
IRSA?), collects the agent's JSON report from the log, adds its own findings (check "launcher")
and deletes the Job.

Target:
  -n, --namespace NS          namespace (default: the kubeconfig context's, else "default")
  -s, --service-account SA    the ServiceAccount to run as
      --workload KIND/NAME    run as that Deployment's, StatefulSet's or Job's ServiceAccount (deploy/NAME,
                              sts/NAME, job/NAME), on its nodes (its nodeSelector, tolerations, node
                              affinity) and against the Aurora login and OpenSearch URLs its own
                              configuration names (env, envFrom and mounted ConfigMaps, Spring's
                              precedence; Secrets are never read); flags here and after -- add to or
                              override what was found
  -c, --container NAME        the container of --workload whose configuration is read (default: the
                              one its kubectl.kubernetes.io/default-container annotation names, else
                              the first, as kubectl logs and exec choose)
      --all                   one Job per ServiceAccount with a role-arn annotation in the namespace,
                              and, with AWS credentials, each with an EKS Pod Identity association
  -A, --all-namespaces        with --all: in every namespace
      --parallel N            Jobs at a time with --all (default ${DEFAULT_PARALLEL})

Job:
      --image IMAGE           agent image (default $IRSA_DOCTOR_IMAGE, else ${DEFAULT_IMAGE})
      --image-pull-policy P   Always, IfNotPresent or Never (default: as Kubernetes, Always for a
                              :latest or untagged image, else IfNotPresent)
      --timeout SECONDS       the Job's activeDeadlineSeconds, image pull included (default ${DEFAULT_RUN_TIMEOUT_SECONDS});
                              the agent gets a little less unless you pass --timeout after --;
                              also bounds preflight, and the launcher gives up 30 s after it
      --node-selector K=V     schedule like your workload (repeatable)
      --toleration K=V:EFFECT tolerate a taint; also K:EFFECT (Exists) and K=V (repeatable)
      --image-pull-secret S   pull secret for a private registry (repeatable)
      --pod-label K=V         label on the Job and its pod, e.g. for a policy engine or cost reports (repeatable)
      --pod-annotation K=V    annotation on the pod, e.g. sidecar.istio.io/inject=false (repeatable)
      --priority-class NAME   the pod's priorityClassName
      --keep                  do not delete the Job afterwards (prints how to inspect and delete it)

Aurora CA bundle (the agent's --postgres-ca, for verify-full against a --postgres target):
      --postgres-ca FILE      carry FILE (e.g. the RDS global-bundle.pem) into the pod as a ConfigMap
                              the launcher creates with the Job and deletes with it
      --postgres-ca-configmap NAME[/KEY]
                              mount an existing ConfigMap of the namespace instead (KEY default ca.crt)

AWS side:
      --audit                 also audit the AWS side from here with your AWS credentials, as
                              irsa-doctor audit does (trust policy, OIDC provider, permissions on the
                              agent's --postgres/--opensearch targets, Pod Identity, nodes, CloudTrail),
                              while the Job runs; its findings join each report as check "audit".
                              Reads only; needs the policy in docs/audit.md
      --cluster NAME          the EKS cluster (for --audit and --all's Pod Identity associations);
                              default: the kubeconfig's exec plugin --cluster-name, else the cluster
                              whose endpoint is the kubeconfig's server

Cluster (kubectl conventions):
      --kubeconfig FILE       kubeconfig (default: each file of $KUBECONFIG, first wins; ~/.kube/config; in-cluster)
      --context NAME          kubeconfig context

Output:
${REPORT_USAGE}
      --dry-run[=client]      print the Job manifest and exit without contacting the cluster;
                              with -o yaml (default) or -o json
  -h, --help                  this help

Everything after "--" goes to the agent: --postgres HOST, --postgres-user U, --opensearch URL,
--only IDS, --region R, ... (see irsa-doctor check --help), checked before the Job is created.
Do not pass -o there.

Exit codes: 0 nothing failed, 1 a finding failed (or the Job could not run: see the LAUNCH-* finding;
see --fail-on), 2 usage or kubeconfig error (also a failing exec credential plugin), 130/143
interrupted by SIGINT/SIGTERM (the Job is deleted first), 141 stdout closed early (| head).
With --all -o json the output is {"schemaVersion":1,"runs":[{"namespace","serviceAccount","mechanism","report"}],
"findings":[...],"summary":{...},"verdict":"..."} (docs/sweep.schema.json), each report what a single
run prints.

Sidecars: the run ends when the agent's container exits, whatever a mesh's sidecar (Istio, Linkerd,
native sidecars) does; the Job and its pod are deleted as usual.

Permissions: k8s/rbac.yaml (jobs create/get/list/watch/delete, pods get/list/watch, pods/log get,
serviceaccounts get/list, events list, configmaps create/get/delete, with --workload deployments and
statefulsets get; a ClusterRole for namespaces,
webhooks and -A). In a pod (k8s/cronjob/) the launcher uses its ServiceAccount (mounted at
/var/run/secrets/kubernetes.io/serviceaccount; IRSA_DOCTOR_SA_DIR overrides, as for the agent).

Examples:
  # one ServiceAccount
  irsa-doctor run -n camunda -s zeebe
  # also log in to Aurora PostgreSQL and OpenSearch with the pod's role
  irsa-doctor run -n camunda -s zeebe -- --postgres db.cluster-abc.eu-west-1.rds.amazonaws.com --postgres-user zeebe \\
      --opensearch https://search-x.eu-west-1.es.amazonaws.com
  # what the pod sees, and why the AWS side made it so, in one report
  irsa-doctor run -n camunda -s zeebe --audit
  # every annotated ServiceAccount of a namespace, as JSON for CI
  irsa-doctor run --all -n camunda -o json
  # on the nodes your workload uses, from a private registry
  irsa-doctor run -n camunda -s zeebe --node-selector role=apps --toleration dedicated=apps:NoSchedule \\
      --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/irsa-doctor:${TOOL_VERSION}
  # Aurora with verify-full: the RDS CA bundle goes along in a ConfigMap
  irsa-doctor run -n camunda -s zeebe --postgres-ca global-bundle.pem -- --postgres db.cluster-abc.eu-west-1.rds.amazonaws.com \\
      --postgres-user zeebe
  # in an Istio namespace, without the sidecar
  irsa-doctor run -n camunda -s zeebe --pod-annotation sidecar.istio.io/inject=false
  # review the Job before anything runs
  irsa-doctor run -n camunda -s zeebe --dry-run -o yaml
  # as Identity runs: its ServiceAccount, its nodes, its Aurora login (a whole deployment: irsa-doctor camunda)
  irsa-doctor run -n camunda --workload deploy/camunda-identity --postgres-ca global-bundle.pem
`;

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
      --all                   one Job per ServiceAccount with a role-arn annotation in the namespace
  -A, --all-namespaces        with --all: in every namespace
      --parallel N            Jobs at a time with --all (default ${DEFAULT_PARALLEL})

Job:
      --image IMAGE           agent image (default ${DEFAULT_IMAGE})
      --timeout SECONDS       the Job's activeDeadlineSeconds, image pull included (default ${DEFAULT_RUN_TIMEOUT_SECONDS});
                              the agent gets a little less unless you pass --timeout after --;
                              also bounds preflight, and the launcher gives up 30 s after it
      --node-selector K=V     schedule like your workload (repeatable)
      --toleration K=V:EFFECT tolerate a taint; also K:EFFECT (Exists) and K=V (repeatable)
      --image-pull-secret S   pull secret for a private registry (repeatable)
      --keep                  do not delete the Job afterwards (prints how to inspect and delete it)

AWS side:
      --audit                 also audit the AWS side from here with your AWS credentials, as
                              irsa-doctor audit does (trust policy, OIDC provider, permissions on the
                              agent's --postgres/--opensearch targets, Pod Identity, nodes, CloudTrail),
                              while the Job runs; its findings join each report as check "audit".
                              Reads only; needs the policy in docs/audit.md

Cluster (kubectl conventions):
      --kubeconfig FILE       kubeconfig (default: each file of $KUBECONFIG, first wins; ~/.kube/config; in-cluster)
      --context NAME          kubeconfig context

Output:
  -o, --output text|json      report format (default: $IRSA_DOCTOR_OUTPUT, else text on a terminal, json otherwise)
      --dry-run[=client]      print the Job manifest and exit without contacting the cluster;
                              with -o yaml (default) or -o json
  -h, --help                  this help

Everything after "--" goes to the agent: --postgres HOST, --postgres-user U, --opensearch URL,
--only IDS, --region R, ... (see irsa-doctor check --help), checked before the Job is created.
Do not pass -o there.

Exit codes: 0 nothing failed, 1 a finding failed (or the Job could not run: see the LAUNCH-* finding),
2 usage or kubeconfig error (also a failing exec credential plugin), 130/143 interrupted by
SIGINT/SIGTERM (the Job is deleted first), 141 stdout closed early (| head).
With --all -o json the output is {"schemaVersion":1,"runs":[{"namespace","serviceAccount","report"}],
"findings":[...]} where each report is what a single run prints.

Permissions: k8s/rbac.yaml (jobs create/get/list/watch/delete, pods get/list/watch, pods/log get,
serviceaccounts get/list, events list; with --workload deployments, statefulsets and configmaps get;
a ClusterRole for namespaces, webhooks and -A).

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
      --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/irsa-doctor:latest
  # review the Job before anything runs
  irsa-doctor run -n camunda -s zeebe --dry-run -o yaml
  # as Identity runs: its ServiceAccount, its nodes, its Aurora login (the whole deployment: irsa-doctor camunda)
  irsa-doctor run -n camunda --workload deploy/camunda-identity -- --postgres-ca /certs/global-bundle.pem
`;

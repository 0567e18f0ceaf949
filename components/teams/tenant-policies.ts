/**
 * The tenant boundary as ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, GA since
 * Kubernetes 1.30): pure functions of the model returning the policy and binding manifests.
 *
 * Why not the namespace annotations alone: the Fleet agent applies a bundle's `namespaceLabels` /
 * `namespaceAnnotations` to the target namespace with its own cluster-wide client and deletes every
 * label and annotation the bundle does not list (rancher/fleet v0.14.6
 * internal/cmd/agent/deployer/deployer.go: setNamespaceLabelsAndAnnotations L178-210,
 * addLabelsFromOptions L240-260 keeps only `kubernetes.io/metadata.name` and Pod Security labels,
 * addAnnotationsFromOptions L263-274 keeps nothing). PodNodeSelector / PodTolerationRestriction then
 * fall back to the (empty) cluster defaults. So:
 *
 * - team namespaces are selected by NAME (`resourceNames`, or the `kubernetes.io/metadata.name`
 *   label that the API server sets on every namespace write and the agent keeps), never by a label
 *   the tenant can remove;
 * - the namespace's protected metadata may change only through the stack's identity;
 * - pod placement and privileges are checked on the pod itself, independent of namespace metadata.
 *
 * Every policy fails closed (`failurePolicy: Fail`) and is bound with `validationActions: [Deny]`.
 */
import type * as k8s from "@pulumi/kubernetes";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import type { TeamModel } from "../../config/model";
import { teamNamespaceAnnotations, teamNamespaceLabels } from "./admission";
import { celList, celString, metaKeysUnchanged, metaKeysWhereUnchanged, metaPrefixesUnchanged } from "./cel";
import { KUBE_OVN_CNI_USER, KUBE_OVN_CONTROLLER_USER, isNamespaceNetworkKey, isPodNetworkKey, requestFrom } from "./network-annotations";
import { PORT_SECURITY_ANNOTATION, affinityTermsOwnNamespace, noSpoofingRule, qosRule, tolerationKept } from "./pod-rules";
import { STACK_REQUEST_CEL } from "./stack-identity";
import { SCHEDULER_NAME, SCHEDULER_NAMESPACE } from "../network/bandwidth-values";

export const VAP_API_VERSION = "admissionregistration.k8s.io/v1";
/** Label the API server sets to every namespace's own name (Kubernetes ≥ 1.22); tenants cannot change it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Label and annotation prefixes of a team namespace that only the stack may add, change or remove. */
export function protectedNamespacePrefixes(labelDomain: string): string[] {
  return ["pod-security.kubernetes.io/", "scheduler.alpha.kubernetes.io/", `${labelDomain}/`];
}

/** Kubernetes' own node-condition taints (`node.kubernetes.io/*`) that pods may tolerate. */
export const NODE_CONDITION_TAINT_PREFIX = "node.kubernetes.io/";

/**
 * k3s ServiceLB reads these Service annotations/labels (k3s v1.32 pkg/cloudprovider/servicelb.go:
 * `svccontroller.k3s.cattle.io/tolerations` adds tolerations to its hostPort DaemonSet in
 * kube-system, `lbpool` picks nodes, `priorityclassname` its priority). A team Service may carry none.
 */
export const SERVICELB_PREFIX = "svccontroller.k3s.cattle.io/";

export interface Validation {
  readonly expression: string;
  readonly message: string;
  readonly reason?: "Forbidden" | "Invalid";
}

/** Kubernetes' MatchResources (typed from @pulumi/kubernetes, so a misspelt field fails `tsc`). */
export type MatchResources = k8s.types.input.admissionregistration.v1.MatchResources;

export interface PolicyManifest {
  readonly apiVersion: string;
  readonly kind: "ValidatingAdmissionPolicy";
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly spec: {
    readonly failurePolicy: "Fail";
    readonly matchConstraints: MatchResources;
    readonly validations: Validation[];
  };
}

export interface BindingManifest {
  readonly apiVersion: string;
  readonly kind: "ValidatingAdmissionPolicyBinding";
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly spec: { readonly policyName: string; readonly validationActions: ["Deny"]; readonly matchResources: MatchResources };
}

export interface GuardedPolicy {
  readonly policy: PolicyManifest;
  readonly binding: BindingManifest;
}

/** Selects every namespace except the named ones. */
export function namespacesNotNamed(names: readonly string[]): k8s.types.input.meta.v1.LabelSelector {
  return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: [...names] }] };
}

/** Selects exactly the named namespaces (for namespaced resources) by their API-server-set name label. */
export function namespacesNamed(names: readonly string[]): k8s.types.input.meta.v1.LabelSelector {
  return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "In", values: [...names] }] };
}

/** A policy and its Deny binding with the same name and constraints. */
export function guardedPolicy(name: string, labels: Record<string, string>, matchConstraints: MatchResources, validations: Validation[]): GuardedPolicy {
  return {
    policy: {
      apiVersion: VAP_API_VERSION,
      kind: "ValidatingAdmissionPolicy",
      metadata: { name, labels },
      spec: { failurePolicy: "Fail", matchConstraints, validations },
    },
    binding: {
      apiVersion: VAP_API_VERSION,
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name, labels },
      // The binding repeats the policy's constraints: a binding without matchResources matches all
      // the policy matches, this one keeps the scope visible on the binding too.
      spec: { policyName: name, validationActions: ["Deny"], matchResources: matchConstraints },
    },
  };
}

function ownerLabels(labelDomain: string, team: string): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "pulumi", [labKey(labelDomain, KEY_SUFFIX.team)]: team };
}

/** Names of a team's policies (and their bindings). */
export function teamPolicyNames(team: string): { namespace: string; pods: string; podBindings: string; services: string; helmCharts: string } {
  return {
    namespace: `lab-team-${team}-namespace`,
    pods: `lab-team-${team}-pods`,
    podBindings: `lab-team-${team}-pod-bindings`,
    services: `lab-team-${team}-services`,
    helmCharts: `lab-team-${team}-helm-charts`,
  };
}

/**
 * (a) The team namespace's placement and security metadata (the stack's labels and annotations,
 * and every key under the Pod Security, scheduler and lab prefixes) may be added, changed or removed
 * only by the stack; only the stack may delete the namespace (a bundle's `deleteNamespace` would
 * otherwise take the quota with it). Matched by `resourceNames`: the name cannot be changed.
 */
export function namespaceGuard(team: TeamModel, labelDomain: string, k3sVersion: string): GuardedPolicy {
  const prefixes = protectedNamespacePrefixes(labelDomain);
  const stackKeys = {
    labels: celList(Object.keys(teamNamespaceLabels(team, labelDomain, k3sVersion)).sort()),
    annotations: celList(Object.keys(teamNamespaceAnnotations(team, labelDomain)).sort()),
  };
  return guardedPolicy(
    teamPolicyNames(team.name).namespace,
    ownerLabels(labelDomain, team.name),
    {
      resourceRules: [
        // `/status` and `/finalize` write the same metadata (kubernetes v1.32 pkg/registry/core/namespace
        // strategy.go: namespaceStatusStrategy and namespaceFinalizeStrategy keep metadata from the request).
        { apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces", ...NAMESPACE_SUBRESOURCES], operations: ["UPDATE", "DELETE"], resourceNames: [team.namespace] },
      ],
    },
    [
      {
        expression: `${STACK_REQUEST_CEL} || request.operation != 'DELETE'`,
        message: `only the stack may delete team namespace ${team.namespace}`,
        reason: "Forbidden",
      },
      ...(["labels", "annotations"] as const).map((field) => ({
        expression:
          `${STACK_REQUEST_CEL} || request.operation != 'UPDATE' || ` +
          `(${metaKeysUnchanged(field, stackKeys[field])} && ` +
          `${metaPrefixesUnchanged(field, prefixes)})`,
        message: `the placement, Pod Security and lab ${field} of team namespace ${team.namespace} may be changed only by the stack`,
        reason: "Forbidden" as const,
      })),
      {
        // Kube-OVN's subnet binding of the namespace: written by its controller from the subnets'
        // `namespaces`, never by a bundle's namespaceAnnotations.
        expression:
          `${STACK_REQUEST_CEL} || ${requestFrom([KUBE_OVN_CONTROLLER_USER])} || request.operation != 'UPDATE' || ` +
          metaKeysWhereUnchanged("annotations", isNamespaceNetworkKey),
        message: `the Kube-OVN annotations (ovn.kubernetes.io/*) of team namespace ${team.namespace} may be changed only by the stack and Kube-OVN's controller`,
        reason: "Forbidden",
      },
    ],
  );
}

/** Namespace subresources that can write a namespace's metadata. */
export const NAMESPACE_SUBRESOURCES = ["namespaces/status", "namespaces/finalize"] as const;

const ALL_CONTAINERS = ["containers", "initContainers", "ephemeralContainers"] as const;

/**
 * Volume sources a team pod may use: Pod Security `restricted`'s list (kubernetes v1.32
 * staging/src/k8s.io/pod-security-admission/policy/check_restrictedVolumes.go restrictedVolumes_1_0),
 * while the namespaces enforce only `baseline`, which refuses hostPath alone. The others are mounted
 * by the kubelet from the node's own network namespace, past NetworkPolicies and the team subnet:
 * `nfs` reaches the monitoring backup export (lab:monitoring.backup.nfs) or any NFS server the node
 * can, `iscsi`/`rbd`/`cephfs`/`fc` block and file storage, `gitRepo` runs git on the node as root
 * (CVE-2024-10220), `flexVolume` runs a node driver. Storage comes through PVCs (quota-capped).
 */
export const POD_VOLUME_TYPES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"] as const;

/** CEL: every container of the listed kinds satisfies `cond` (bound to `c`). */
function everyContainer(kinds: readonly string[], cond: string): string {
  return kinds.map((kind) => `(!has(object.spec.${kind}) || object.spec.${kind}.all(c, ${cond}))`).join(" && ");
}

/**
 * (b) Pods of the team namespace, on create and on every update (tolerations can be added to a
 * running pod) and ephemeral-container change, whatever the namespace says: the node selector
 * carries the team's access label, tolerations are only the team's pool taints (key, `Equal`,
 * value) and Kubernetes' `node.kubernetes.io/*` conditions, no host namespaces, host ports,
 * privileged containers, and only the volume types of POD_VOLUME_TYPES, no `spec.nodeName` at creation (binding past the
 * scheduler) and no priority class (a platform class would preempt other teams on a shared pool).
 * No network placement annotations (Kube-OVN subnet, address, port security, routes; Multus
 * attachments: components/teams/network-annotations.ts) at creation, and none changed later except
 * by Kube-OVN itself; Kube-OVN's QoS annotations stay the pod's own.
 */
export function podGuard(team: TeamModel, labelDomain: string): GuardedPolicy {
  const [accessKey, accessValue] = Object.entries(team.nodeSelector)[0];
  const poolKeys = [...new Set(team.tolerations.map((t) => t.key))].sort();
  const poolTolerations = team.tolerations.map((t) =>
    `(t.key == ${celString(t.key)} && (!has(t.operator) || t.operator == 'Equal') && has(t.value) && t.value == ${celString(t.value ?? "")})`,
  );
  const tolerationAllowed = [
    `(has(t.key) && t.key.startsWith(${celString(NODE_CONDITION_TAINT_PREFIX)}))`,
    ...poolTolerations,
  ].join(" || ");
  const selectorChecks = Object.entries(team.nodeSelector).map(
    ([k, v]) => `(has(object.spec.nodeSelector) && ${celString(k)} in object.spec.nodeSelector && object.spec.nodeSelector[${celString(k)}] == ${celString(v)})`,
  );
  return guardedPolicy(
    teamPolicyNames(team.name).pods,
    ownerLabels(labelDomain, team.name),
    {
      namespaceSelector: namespacesNamed([team.namespace]),
      resourceRules: [
        { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE", "UPDATE"] },
        // Both carry a whole Pod; `pods/status` can change its labels and annotations (kubernetes v1.32
        // pkg/registry/core/pod/strategy.go podStatusStrategy keeps metadata but owner references).
        { apiGroups: [""], apiVersions: ["v1"], resources: ["pods/ephemeralcontainers", "pods/status"], operations: ["UPDATE"] },
      ],
    },
    [
      {
        expression: selectorChecks.join(" && "),
        message: `pods of team ${team.name} must select nodeSelector ${accessKey}=${accessValue}`,
      },
      {
        expression: `!has(object.spec.tolerations) || object.spec.tolerations.all(t, ${tolerationAllowed} || ${tolerationKept("t")})`,
        message: `pods of team ${team.name} may tolerate only their pools' taints (${poolKeys.join(", ") || "none"}: ${team.tolerations.map((t) => t.value).join(", ") || "none"}) and ${NODE_CONDITION_TAINT_PREFIX}* conditions`,
      },
      {
        expression: affinityTermsOwnNamespace(team.namespace),
        message: `pods of team ${team.name} may select only pods of namespace ${team.namespace} in pod (anti-)affinity terms (no namespaceSelector, no other namespaces)`,
      },
      {
        expression: qosRule(team.maxPodMbps),
        message:
          `pods of team ${team.name} may reserve at most ${team.maxPodMbps} Mbit/s per direction (ovn.kubernetes.io/ingress_rate, egress_rate: whole numbers), ` +
          `netem values only in range (latency, jitter ≤ 60000 ms, loss ≤ 100 %), and may not change them once scheduled`,
      },
      {
        expression: noSpoofingRule(),
        message: `pods of team ${team.name} must either set ${PORT_SECURITY_ANNOTATION}: "true" or drop NET_RAW (or ALL) in every container: no raw sockets with another pod's address`,
      },
      {
        expression: ["hostNetwork", "hostPID", "hostIPC"].map((f) => `!(has(object.spec.${f}) && object.spec.${f})`).join(" && "),
        message: `pods of team ${team.name} may not use the host's network, PID or IPC namespace`,
      },
      {
        expression: everyContainer(["containers", "initContainers"], "!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)"),
        message: `pods of team ${team.name} may not bind host ports`,
      },
      {
        expression: everyContainer(ALL_CONTAINERS, "!has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged"),
        message: `pods of team ${team.name} may not run privileged containers`,
      },
      {
        expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, ${celList(POD_VOLUME_TYPES)}.exists(t, t in v))`,
        message: `pods of team ${team.name} may mount only ${POD_VOLUME_TYPES.join(", ")} volumes (no host paths, no network filesystems the node mounts for them)`,
      },
      {
        expression: "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''",
        message: `pods of team ${team.name} are placed by the scheduler: spec.nodeName may not be set at creation`,
      },
      {
        expression:
          `${requestFrom([KUBE_OVN_CONTROLLER_USER, KUBE_OVN_CNI_USER])} || (request.operation == 'CREATE' ? ` +
          `(!has(object.metadata.annotations) || object.metadata.annotations.all(k, !(${isPodNetworkKey("k")}) || ` +
          `(k == ${celString(PORT_SECURITY_ANNOTATION)} && object.metadata.annotations[k] == 'true'))) : ` +
          `${metaKeysWhereUnchanged("annotations", isPodNetworkKey)})`,
        message: `pods of team ${team.name} may not choose their network (Kube-OVN ovn.kubernetes.io/* annotations other than QoS and ${PORT_SECURITY_ANNOTATION}: "true" at creation, provider keys, Multus attachments); Kube-OVN sets them`,
      },
      {
        expression: "!has(object.spec.priorityClassName) || object.spec.priorityClassName == ''",
        message: `pods of team ${team.name} may not set a priority class`,
      },
    ].map((v) => ({ ...v, reason: "Forbidden" as const })),
  );
}

/**
 * Services of the team namespace: no `externalIPs` (a Service may claim any address and intercept
 * its traffic cluster-wide, CVE-2020-8554), and no k3s ServiceLB annotations or labels (tolerations
 * that would run its hostPort pods on other teams' nodes, a node pool, a priority class).
 * LoadBalancer and NodePort Services are capped by the team's quota (0 unless configured).
 */
export function serviceGuard(team: TeamModel, labelDomain: string): GuardedPolicy {
  const noPrefix = (field: "labels" | "annotations") =>
    `(!has(object.metadata.${field}) || object.metadata.${field}.all(k, !k.startsWith(${celString(SERVICELB_PREFIX)})))`;
  return guardedPolicy(
    teamPolicyNames(team.name).services,
    ownerLabels(labelDomain, team.name),
    {
      namespaceSelector: namespacesNamed([team.namespace]),
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["services"], operations: ["CREATE", "UPDATE"] }],
    },
    [
      {
        expression: "!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
        message: `services of team ${team.name} may not set externalIPs`,
        reason: "Forbidden",
      },
      {
        expression: `${noPrefix("annotations")} && ${noPrefix("labels")}`,
        message: `services of team ${team.name} may not carry ${SERVICELB_PREFIX}* annotations or labels (k3s ServiceLB is the platform's)`,
        reason: "Forbidden",
      },
    ],
  );
}

/**
 * No k3s HelmChart or HelmChartConfig in the team namespace, whoever sends it. k3s's helm-controller
 * installs a HelmChart with a Job whose service account `helm-<name>`, created in the chart's own
 * namespace, is bound to `cluster-admin` by a ClusterRoleBinding (k3s-io/helm-controller
 * pkg/controllers/chart/chart.go roleBinding): the chart's templates run cluster-wide, and any pod of
 * the namespace can name that service account. Team roles grant no `helm.cattle.io` (team-roles.ts);
 * this holds even if a role, a Fleet bundle or another controller ever could. The stack's own
 * HelmCharts live in kube-system (components/shared/helm-chart.ts).
 */
export function helmChartGuard(team: TeamModel, labelDomain: string): GuardedPolicy {
  return guardedPolicy(
    teamPolicyNames(team.name).helmCharts,
    ownerLabels(labelDomain, team.name),
    {
      namespaceSelector: namespacesNamed([team.namespace]),
      resourceRules: [{ apiGroups: ["helm.cattle.io"], apiVersions: ["*"], resources: ["helmcharts", "helmchartconfigs"], operations: ["CREATE", "UPDATE"] }],
    },
    [
      {
        expression: "false",
        message: `no k3s HelmChart or HelmChartConfig in team namespace ${team.namespace}: helm-controller runs its install Job as cluster-admin`,
        reason: "Forbidden",
      },
    ],
  );
}

/**
 * Who binds pods: the default scheduler (kubernetes v1.32, `system:kube-scheduler`, its client
 * certificate's CN) and the vaclab-scheduler, service account `<scheduler.name>` in its release
 * namespace (vacp2p/vaclab-k8s-plugins as-a-second-scheduler chart templates/rbac.yaml, bound to
 * `pods/binding` create; network/bandwidth-values.ts SCHEDULER_NAME, SCHEDULER_NAMESPACE).
 */
export const POD_BINDERS = ["system:kube-scheduler", `system:serviceaccount:${SCHEDULER_NAMESPACE}:${SCHEDULER_NAME}`] as const;

/**
 * `pods/binding` of the team namespace: a Binding names the node a pod runs on, past the scheduler
 * and past the pod policy (the Binding is not a Pod). Only the schedulers and the stack may bind.
 */
export function podBindingGuard(team: TeamModel, labelDomain: string): GuardedPolicy {
  return guardedPolicy(
    teamPolicyNames(team.name).podBindings,
    ownerLabels(labelDomain, team.name),
    {
      namespaceSelector: namespacesNamed([team.namespace]),
      // `bindings` is the same request by another path (POST /api/v1/namespaces/<ns>/bindings).
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["pods/binding", "bindings"], operations: ["CREATE"] }],
    },
    [
      {
        expression: `${STACK_REQUEST_CEL} || ${requestFrom(POD_BINDERS)}`,
        message: `pods of team ${team.name} are bound to nodes by the schedulers only`,
        reason: "Forbidden",
      },
    ],
  );
}

/** All of a team's guards, in a stable order. */
export function teamGuards(team: TeamModel, labelDomain: string, k3sVersion: string): GuardedPolicy[] {
  return [
    namespaceGuard(team, labelDomain, k3sVersion),
    podGuard(team, labelDomain),
    podBindingGuard(team, labelDomain),
    serviceGuard(team, labelDomain),
    helmChartGuard(team, labelDomain),
  ];
}

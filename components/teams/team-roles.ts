import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../shared/cluster-access";

/**
 * The two roles a team holds in its namespace, as explicit rule lists. Never the built-in `edit` /
 * `admin`: those carry an aggregationRule and grow with every ClusterRole labelled
 * `rbac.authorization.k8s.io/aggregate-to-edit|admin` — victoria-metrics-operator chart 0.57.1
 * (templates/role.yaml L195-218, `rbac.aggregatedClusterRoles.enabled: true` by default) adds `*` on
 * every VictoriaMetrics CRD that way, and a team VMAgent then gets a cluster-wide secrets reader
 * from the operator. These rules never use `*` and never name a custom resource, so installing a
 * CRD grants a team nothing.
 */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** Name of the ClusterRole bound (by RoleBinding, in the team namespace only) to the team's groups. */
export const TEAM_MEMBER_ROLE = "lab-team-member";
/** Name of the ClusterRole bound (by RoleBinding, in the team namespace only) to the team's Fleet service account. */
export const TEAM_DEPLOYER_ROLE = "lab-team-deployer";

const READ = ["get", "list", "watch"] as const;
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;

const rule = (apiGroups: string[], resources: string[], verbs: readonly string[]): PolicyRule => ({ apiGroups, resources, verbs: [...verbs] });

/** Workloads and their configuration in the team's own namespace (like `edit`, without impersonation). */
export const TEAM_MEMBER_RULES: readonly PolicyRule[] = [
  rule([""], ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "serviceaccounts"], WRITE),
  rule([""], ["pods/log", "pods/status", "services/status", "endpoints", "events", "resourcequotas", "limitranges"], READ),
  rule([""], ["pods/exec", "pods/attach", "pods/portforward"], ["get", "create"]),
  rule(["apps"], ["deployments", "statefulsets", "daemonsets", "replicasets"], WRITE),
  rule(["apps"], ["deployments/scale", "statefulsets/scale", "replicasets/scale"], ["get", "update", "patch"]),
  rule(["batch"], ["jobs", "cronjobs"], WRITE),
  rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
  rule(["policy"], ["poddisruptionbudgets"], WRITE),
  rule(["networking.k8s.io"], ["networkpolicies", "ingresses"], WRITE),
  rule(["discovery.k8s.io"], ["endpointslices"], READ),
  rule(["coordination.k8s.io"], ["leases"], WRITE),
  rule(["events.k8s.io"], ["events"], READ),
];

/**
 * What Fleet's agent may do as the team (like `admin` in the namespace): the member's rules plus
 * Roles and RoleBindings for the team's own service accounts. The API server's RBAC escalation
 * check lets it grant only what it holds itself, in this namespace.
 */
export const TEAM_DEPLOYER_RULES: readonly PolicyRule[] = [
  ...TEAM_MEMBER_RULES,
  rule(["rbac.authorization.k8s.io"], ["roles", "rolebindings"], WRITE),
];

/**
 * Fleet v0.14.6 installs every bundle with Helm's `CreateNamespace = true`
 * (internal/helmdeployer/install.go L154), as the impersonated team service account; Helm then
 * POSTs the target namespace and ignores only AlreadyExists (helm v3.19 pkg/action/install.go), so
 * without a cluster-scope `create namespaces` the first install of every team bundle is Forbidden
 * (rancher/fleet#5480). RBAC cannot limit `create` by name: the grant is paired with the admission
 * policy `lab-team-<team>-deployer-namespaces` (gitops/deployer-namespace-guard.ts), which lets each
 * team's deployer create only its own namespace's name — which exists, so the create ends in
 * AlreadyExists.
 */
export const TEAM_NAMESPACE_CREATE_ROLE = "lab-team-deployer-namespace-create";
export const TEAM_NAMESPACE_CREATE_RULES: readonly PolicyRule[] = [rule([""], ["namespaces"], ["create"])];

export interface TeamRolesArgs {
  /** Provider and readiness of the cluster. */
  readonly access: ClusterAccess;
}

/**
 * The team ClusterRoles (no aggregationRule, no aggregation labels): member and deployer, bound per
 * team namespace by RoleBindings, and the deployers' guarded namespace-create grant.
 */
export class TeamRoles extends pulumi.ComponentResource {
  public readonly member: k8s.rbac.v1.ClusterRole;
  public readonly deployer: k8s.rbac.v1.ClusterRole;
  public readonly namespaceCreate: k8s.rbac.v1.ClusterRole;

  constructor(name: string, args: TeamRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:TeamRoles", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.access.provider, dependsOn: args.access.clusterReady };
    const role = (roleName: string, rules: readonly PolicyRule[]) =>
      new k8s.rbac.v1.ClusterRole(
        roleName,
        {
          metadata: { name: roleName, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
          rules: rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
        },
        k8sOpts,
      );
    this.member = role(TEAM_MEMBER_ROLE, TEAM_MEMBER_RULES);
    this.deployer = role(TEAM_DEPLOYER_ROLE, TEAM_DEPLOYER_RULES);
    this.namespaceCreate = role(TEAM_NAMESPACE_CREATE_ROLE, TEAM_NAMESPACE_CREATE_RULES);
    this.registerOutputs({ member: this.member, deployer: this.deployer, namespaceCreate: this.namespaceCreate });
  }
}

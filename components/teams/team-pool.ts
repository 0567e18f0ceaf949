import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { admissionGuard } from "./admission-guard";
import { teamNamespaceAnnotations, teamNamespaceLabels } from "./admission";
import { containerLimits, quotaHard } from "./quota";
import { TEAM_MEMBER_ROLE } from "./team-roles";
import { teamGuards } from "./tenant-policies";

export interface TeamPoolArgs {
  /** The team from the model: namespace, pools, quota, node selector, tolerations, groups. */
  readonly team: TeamModel;
  /** Prefix of the lab's labels and annotations (`lab:cluster.labelDomain`). */
  readonly labelDomain: string;
  /** The cluster's k3s release; its Kubernetes minor pins the Pod Security policy version. */
  readonly k3sVersion: string;
  /** Namespace of the monitoring stack, the only other namespace allowed to reach team pods. */
  readonly monitoringNamespace: string;
  /** Provider and readiness of the cluster. */
  readonly access: ClusterAccess;
}

/**
 * Everything a team gets: its namespace, defaulted by admission plugins to its pool (node selector,
 * default tolerations and a tolerations whitelist), Pod Security `baseline` enforced and `restricted`
 * warned; the tenant boundary itself as ValidatingAdmissionPolicies (tenant-policies.ts: protected
 * namespace metadata, pod placement and privileges, Services), created before the namespace; a
 * ResourceQuota equal to its configured quota (compute, disk, LoadBalancer/NodePort Services), a
 * LimitRange with container defaults, the explicit `lab-team-member` role for its groups in that
 * namespace only, and ingress closed to other namespaces except monitoring. The team's Kube-OVN
 * subnet (network layer) and Fleet objects (GitOps layer) attach to `namespace`, so they wait for
 * the policies too.
 */
export class TeamPool extends pulumi.ComponentResource {
  /** The team namespace; other layers depend on it (subnet, Fleet). */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The namespace name (plain: it is the team name). */
  public readonly namespaceName: string;

  constructor(name: string, args: TeamPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:TeamPool", name, {}, opts);
    const { team, access } = args;
    const ns = team.namespace;

    // The boundary exists before the namespace: nothing can run there unguarded.
    const guards = teamGuards(team, args.labelDomain, args.k3sVersion).flatMap((guard) =>
      admissionGuard(`${name}-${guard.policy.metadata.name}`, guard, { parent: this, provider: access.provider, dependsOn: access.clusterReady }),
    );

    this.namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: ns,
          labels: teamNamespaceLabels(team, args.labelDomain, args.k3sVersion),
          annotations: teamNamespaceAnnotations(team, args.labelDomain),
        },
      },
      { parent: this, provider: access.provider, dependsOn: guards },
    );
    this.namespaceName = ns;
    // Everything below lives in the namespace; it must exist first.
    const inNamespace = { parent: this, provider: access.provider, dependsOn: [this.namespace] };

    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      { metadata: { name: "team-quota", namespace: ns }, spec: { hard: quotaHard(team.quota, team, team.objectBudget) } },
      inNamespace,
    );

    new k8s.core.v1.LimitRange(
      `${name}-limits`,
      { metadata: { name: "team-defaults", namespace: ns }, spec: { limits: containerLimits() } },
      inNamespace,
    );

    new k8s.rbac.v1.RoleBinding(
      `${name}-member`,
      {
        metadata: { name: "team-member", namespace: ns },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TEAM_MEMBER_ROLE },
        subjects: team.groups.map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group })),
      },
      inNamespace,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-isolation`,
      {
        metadata: { name: "deny-from-other-namespaces", namespace: ns },
        spec: {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [
            { from: [{ podSelector: {} }] },
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.monitoringNamespace } } }] },
          ],
        },
      },
      inNamespace,
    );

    this.registerOutputs({ namespace: this.namespace, namespaceName: ns });
  }
}

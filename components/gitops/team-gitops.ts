import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gitRepoCredentials } from "../../config/fleet-names";
import type { LabModel, TeamModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { FLEET_SYSTEM_NAMESPACE, teamFleetPlan } from "./fleet-values";
import { limitedNamespace } from "./limited-namespace";
import { admissionGuard } from "../teams/admission-guard";
import { TEAM_DEPLOYER_ROLE, TEAM_NAMESPACE_CREATE_ROLE } from "../teams/team-roles";
import { deployerNamespaceGuard, serviceAccountUsername } from "./deployer-namespace-guard";
import { helmReleaseGuard } from "./helm-release-guard";
import { bundleGuard } from "./bundle-guard";

export interface TeamGitOpsArgs {
  /** The lab model (label domain, GitOps settings, Fleet container defaults). */
  readonly model: LabModel;
  /** The team whose `repos` Fleet deploys into its namespace. */
  readonly team: TeamModel;
  /** Provider from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** Fleet's readiness gate: its CRDs and agent namespace must exist. */
  readonly fleetReady: pulumi.Input<pulumi.Resource>;
  /** The team's namespace (from the teams layer); the RoleBinding and GitRepos wait for it. Default: none. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The ClusterRole a team's Fleet service account gets, bound only inside the team namespace: the
 * explicit `lab-team-deployer` (components/teams/team-roles.ts), never the aggregated `admin`.
 */
export const TEAM_DEPLOYER_CLUSTER_ROLE = TEAM_DEPLOYER_ROLE;

/**
 * A team's GitOps: Fleet deploys its repos into its namespace and nowhere else. Each GitRepo sets
 * `targetNamespace` (Fleet forces every object into it and rejects cluster-scoped ones) and a
 * service account that Fleet's agent impersonates, which may act only inside the team namespace
 * (RoleBinding to the explicit `lab-team-deployer`: workloads, Services, Secrets, Roles there; no
 * quota, limit range, namespace or custom-resource rights; plus the cluster-scope namespace create
 * Helm's CreateNamespace needs, which an admission policy limits to the team's own namespace). A GitRepoRestriction in the
 * team's own Fleet workspace namespace refuses any other service account, target namespace or repo.
 */
export class TeamGitOps extends pulumi.ComponentResource {
  /** The service account (in the agent namespace) Fleet impersonates for this team. */
  public readonly serviceAccount: string;
  /** The team's Fleet workspace namespace, holding its GitRepos. */
  public readonly workspace: string;
  /** GitRepo names in the workspace. */
  public readonly gitRepos: string[];

  constructor(name: string, args: TeamGitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:gitops:TeamGitOps", name, {}, opts);
    const { model, team, access } = args;
    const plan = teamFleetPlan(model, team, model.gitops);
    const fleetOpts = { parent: this, provider: access.provider, dependsOn: [args.fleetReady] };
    const teamNamespace = args.dependsOn ?? [];

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: plan.serviceAccount, namespace: FLEET_SYSTEM_NAMESPACE } },
      fleetOpts,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-deployer`,
      {
        metadata: { name: `fleet-${plan.serviceAccount}`, namespace: team.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TEAM_DEPLOYER_CLUSTER_ROLE },
        subjects: [{ kind: "ServiceAccount", name: plan.serviceAccount, namespace: FLEET_SYSTEM_NAMESPACE }],
      },
      { parent: this, provider: access.provider, dependsOn: [...teamNamespace, account] },
    );

    // Helm's CreateNamespace needs a cluster-scope create; the policy comes first and limits it to
    // the team's own (existing) namespace.
    const guard = deployerNamespaceGuard(team, plan.serviceAccount, FLEET_SYSTEM_NAMESPACE, model.cluster.labelDomain);
    const guardObjects = admissionGuard(`${name}-${guard.policy.metadata.name}`, guard, { parent: this, provider: access.provider, dependsOn: access.clusterReady });
    const namespaceCreate = new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-namespace-create`,
      {
        metadata: { name: `fleet-${plan.serviceAccount}-namespace-create` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TEAM_NAMESPACE_CREATE_ROLE },
        subjects: [{ kind: "ServiceAccount", name: plan.serviceAccount, namespace: FLEET_SYSTEM_NAMESPACE }],
      },
      { parent: this, provider: access.provider, dependsOn: [...guardObjects, account] },
    );

    // Every bundle of the team deploys as its deployer into its namespace, whatever fleet.yaml's
    // targetCustomizations say; in place before the first GitRepo creates a bundle.
    const bundles = bundleGuard(team, plan.workspace, plan.serviceAccount, model.cluster.labelDomain);
    const bundleGuardObjects = admissionGuard(`${name}-${bundles.policy.metadata.name}`, bundles, { parent: this, provider: access.provider, dependsOn: access.clusterReady });
    // No forged Helm release records for the agent's garbage collector to uninstall as another identity.
    const releases = helmReleaseGuard(team, plan.workspace, serviceAccountUsername(FLEET_SYSTEM_NAMESPACE, plan.serviceAccount), model.cluster.labelDomain);
    const releaseGuardObjects = admissionGuard(`${name}-${releases.policy.metadata.name}`, releases, { parent: this, provider: access.provider, dependsOn: access.clusterReady });

    const workspace = limitedNamespace(`${name}-workspace`, plan.workspace, model.gitops.containerDefaults, fleetOpts);
    const inWorkspace = { ...fleetOpts, dependsOn: [args.fleetReady, workspace] };
    const restriction = new k8s.apiextensions.CustomResource(
      `${name}-restriction`,
      {
        apiVersion: "fleet.cattle.io/v1alpha1",
        kind: "GitRepoRestriction",
        metadata: { name: "team-only", namespace: plan.workspace },
        ...plan.restriction,
      },
      inWorkspace,
    );
    const mapping = new k8s.apiextensions.CustomResource(
      `${name}-to-local-cluster`,
      {
        apiVersion: "fleet.cattle.io/v1alpha1",
        kind: "BundleNamespaceMapping",
        metadata: { name: "to-local-cluster", namespace: plan.workspace },
        ...plan.mapping,
      },
      inWorkspace,
    );

    plan.gitRepos.forEach((repo, i) => {
      new k8s.apiextensions.CustomResource(
        `${name}-${repo.name}`,
        {
          apiVersion: "fleet.cattle.io/v1alpha1",
          kind: "GitRepo",
          metadata: { name: repo.name, namespace: plan.workspace, labels: { ...plan.labels } },
          // A private repo's credentials come from a Secret in the workspace, never from the URL.
          spec: { ...repo.spec, ...gitRepoCredentials(team.repos[i]) },
        },
        // Restricted and able to deploy from its first reconcile.
        { ...fleetOpts, dependsOn: [args.fleetReady, ...teamNamespace, restriction, mapping, account, binding, namespaceCreate, ...bundleGuardObjects, ...releaseGuardObjects] },
      );
    });

    this.serviceAccount = plan.serviceAccount;
    this.workspace = plan.workspace;
    this.gitRepos = plan.gitRepos.map((r) => r.name);
    this.registerOutputs({ serviceAccount: this.serviceAccount, workspace: this.workspace, gitRepos: this.gitRepos });
  }
}

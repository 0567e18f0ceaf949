/**
 * Rancher Fleet (standalone, single cluster): chart values and the Fleet objects' specs, derived
 * from the model. Every key was checked against charts/fleet/values.yaml and the CRD types of the
 * pinned Fleet release.
 */
import type { LabModel, TeamModel } from "../../config/model";
import type { GitOpsConfig } from "../../config/schema/gitops";
import { fleetServiceAccountName, fleetWorkspaceNamespace, teamBundlePrefix } from "../../config/fleet-names";

export const FLEET_REPO = "https://rancher.github.io/fleet-helm-charts/";
/** Controller namespace, and the agent namespace of the local cluster (set explicitly below). */
export const FLEET_SYSTEM_NAMESPACE = "cattle-fleet-system";
/** Where Fleet registers the cluster it runs on, as Cluster `local`. */
export const FLEET_LOCAL_NAMESPACE = "fleet-local";
export const FLEET_LOCAL_CLUSTER = "local";
export const FLEET_DEPLOYMENTS = ["fleet-controller", "gitjob", "helmops"] as const;
export const FLEET_CRDS = [
  "gitrepos.fleet.cattle.io",
  "gitreporestrictions.fleet.cattle.io",
  "bundlenamespacemappings.fleet.cattle.io",
  "clusters.fleet.cattle.io",
] as const;

/** The published chart sets image tags to the release tag, `v<version>`; we write it out. */
export function fleetImageTag(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}

export function fleetValues(model: LabModel): Record<string, unknown> {
  const tag = fleetImageTag(model.versions.fleet);
  return {
    image: { repository: "rancher/fleet", tag },
    agentImage: { repository: "rancher/fleet-agent", tag },
    bootstrap: {
      enabled: true,
      namespace: FLEET_LOCAL_NAMESPACE,
      // Team service accounts must live in the agent namespace; pin it instead of relying on "".
      agentNamespace: FLEET_SYSTEM_NAMESPACE,
    },
    metrics: { enabled: true },
  };
}

/** Label on a team's GitRepos (and so its bundles) that its BundleNamespaceMapping selects. */
export function teamLabelKey(labelDomain: string): string {
  return `${labelDomain}/fleet-team`;
}

/** An anchored, escaped regex that matches exactly one repository URL (Fleet evaluates unanchored). */
export function exactRepoPattern(url: string): string {
  return `^${url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`;
}

/**
 * A team's GitRepo names: `<team>-<last path segment of the URL>` (the segment kept as is when it
 * already starts with `<team>-`), lowercased to a DNS label, unique within the team (`-2`, `-3`, …)
 * and at most 63 characters (Fleet copies the name into the bundles' `fleet.cattle.io/repo-name`
 * label, fleet v0.14.6 internal/cmd/controller/gitops/reconciler/gitjob.go argsAndEnvs L660-662).
 * Why the prefix: `fleet apply` names each bundle HelmReleaseName(<GitRepo>/<path>)
 * (internal/cmd/cli/apply/apply.go bundleFromDir L376-387), so the GitRepo name is what makes a
 * team's bundle names its own (config/fleet-names.ts teamBundlePrefix); two teams whose URLs end
 * alike get different names.
 */
export function gitRepoNames(team: string, urls: readonly string[]): string[] {
  const prefix = teamBundlePrefix(team);
  const used = new Set<string>();
  return urls.map((url) => {
    const last = url.replace(/\.git$/, "").split(/[/:]/).filter(Boolean).pop() ?? "repo";
    const segment = last.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "repo";
    // Room for the prefix and a `-NN` de-duplication suffix within 63 characters.
    const room = 63 - prefix.length - 3;
    const owned = segment.startsWith(prefix) ? segment.slice(prefix.length) : segment;
    const base = `${prefix}${owned.slice(0, room).replace(/-+$/, "") || "repo"}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

export interface TeamFleetPlan {
  readonly workspace: string;
  readonly serviceAccount: string;
  /** Labels of the team's GitRepos; Fleet copies them to the bundles the mapping selects. */
  readonly labels: Readonly<Record<string, string>>;
  readonly restriction: Record<string, unknown>;
  readonly mapping: Record<string, unknown>;
  readonly gitRepos: ReadonlyArray<{ readonly name: string; readonly spec: Record<string, unknown> }>;
}

/**
 * A team's Fleet objects. GitRepoRestrictions are aggregated per namespace, and a restriction in
 * `fleet-local` would also bind the platform repo, so each team gets its own workspace namespace:
 * there the restriction pins exactly its service account, target namespace and repos, and a
 * BundleNamespaceMapping lets those bundles reach the `local` cluster in `fleet-local`.
 */
export function teamFleetPlan(model: LabModel, team: TeamModel, gitops: GitOpsConfig): TeamFleetPlan {
  const workspace = fleetWorkspaceNamespace(team.name);
  const serviceAccount = fleetServiceAccountName(team.name);
  const label = { [teamLabelKey(model.cluster.labelDomain)]: team.name };
  const names = gitRepoNames(team.name, team.repos.map((r) => r.url));
  return {
    workspace,
    serviceAccount,
    labels: label,
    restriction: {
      defaultServiceAccount: serviceAccount,
      allowedServiceAccounts: [serviceAccount],
      allowedTargetNamespaces: [team.namespace],
      allowedRepoPatterns: [...new Set(team.repos.map((r) => exactRepoPattern(r.url)))],
    },
    mapping: {
      bundleSelector: { matchLabels: label },
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": FLEET_LOCAL_NAMESPACE } },
    },
    gitRepos: team.repos.map((repo, i) => ({
      name: names[i],
      spec: {
        repo: repo.url,
        branch: repo.branch,
        ...(repo.paths.length > 0 ? { paths: repo.paths } : {}),
        targetNamespace: team.namespace,
        serviceAccount,
        targets: [{ clusterName: FLEET_LOCAL_CLUSTER }],
        correctDrift: { enabled: gitops.correctDrift },
      },
    })),
  };
}

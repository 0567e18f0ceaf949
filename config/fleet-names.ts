/**
 * Names of the per-team Fleet objects, shared by the config checks (length, collisions) and the
 * GitOps components so both always agree.
 */

/** Prefix of a team's Fleet workspace namespace, where its GitRepos and restriction live. */
export const FLEET_WORKSPACE_PREFIX = "fleet-team-";

/**
 * Longest name of a team with repos: its bundle names must keep the `<team>-` prefix (bundle
 * ownership, components/gitops/bundle-guard.ts) after Fleet cuts a bundle name to a Helm release
 * name's 53 characters, which keeps the first 47 and appends `-<5 hex>` (fleet v0.14.6
 * internal/names/name.go HelmReleaseName, Limit; pkg/apis/fleet.cattle.io/v1alpha1
 * bundledeployment_types.go MaxHelmReleaseNameLen = 53). So `<team>-` is at most 47 characters.
 * (The workspace namespace `fleet-team-<team>` alone would allow 52.)
 */
export const MAX_TEAM_NAME_WITH_REPOS = 53 - 5 - 1 - 1;

export function fleetWorkspaceNamespace(team: string): string {
  return `${FLEET_WORKSPACE_PREFIX}${team}`;
}

/**
 * The prefix every bundle name and Helm release name of a team's Fleet deployments carries. Fleet
 * names a BundleDeployment after its Bundle alone, in the cluster's namespace, whatever the
 * Bundle's namespace (fleet v0.14.6 internal/cmd/controller/target/partition.go L36-39): two
 * bundles with one name share one BundleDeployment, and the agent uninstalls the release of the
 * one that lost it (internal/cmd/agent/deployer/cleanup/cleanup.go L143-150; rancher/fleet#3762).
 */
export function teamBundlePrefix(team: string): string {
  return `${team}-`;
}

/** Name of the platform repo's GitRepo in `fleet-local`; its bundles are `lab-platform[-<path>]`. */
export const PLATFORM_GITREPO = "lab-platform";

/**
 * Bundle name prefixes no team owns: Fleet's own agent bundle `fleet-agent-<cluster>`
 * (internal/cmd/controller/agentmanagement/controllers/manageagent/manageagent.go L79, L366; the agent
 * never uninstalls a bundle ID starting with `fleet-agent`, internal/helmdeployer/delete.go
 * L81, L131) and the platform repo's bundles (`fleet apply` names a bundle
 * HelmReleaseName(<GitRepo>/<path>), internal/cmd/cli/apply/apply.go bundleFromDir L376-387).
 */
export const PLATFORM_BUNDLE_PREFIXES = ["fleet-agent", PLATFORM_GITREPO] as const;

/** The service account Fleet's agent impersonates to deploy a team's bundles. */
export function fleetServiceAccountName(team: string): string {
  return `team-${team}`;
}

/**
 * The GitRepo spec fields that give Fleet a private repo's credentials: `clientSecretName`, a Secret
 * of type kubernetes.io/basic-auth or kubernetes.io/ssh-auth in the GitRepo's namespace
 * (GitRepoSpec.ClientSecretName, rancher/fleet pkg/apis/fleet.cattle.io/v1alpha1/gitrepo_types.go).
 * Empty when the repo names none: URLs never carry credentials.
 */
export function gitRepoCredentials(repo: { readonly clientSecretName?: string }): { clientSecretName?: string } {
  return repo.clientSecretName ? { clientSecretName: repo.clientSecretName } : {};
}

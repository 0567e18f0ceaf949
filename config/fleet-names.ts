/**
 * Names of the per-team Fleet objects, shared by the config checks (length, collisions) and the
 * GitOps components so both always agree.
 */

/** Prefix of a team's Fleet workspace namespace, where its GitRepos and restriction live. */
export const FLEET_WORKSPACE_PREFIX = "fleet-team-";

/** Longest team name whose workspace namespace still is a DNS-1123 label (63 characters). */
export const MAX_TEAM_NAME_WITH_REPOS = 63 - FLEET_WORKSPACE_PREFIX.length;

export function fleetWorkspaceNamespace(team: string): string {
  return `${FLEET_WORKSPACE_PREFIX}${team}`;
}

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

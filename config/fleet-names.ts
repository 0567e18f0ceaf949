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

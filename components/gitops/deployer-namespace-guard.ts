/**
 * The admission policy that pairs the team deployer's cluster-scope `create namespaces` grant
 * (teams/team-roles.ts TEAM_NAMESPACE_CREATE_ROLE, needed by Helm's CreateNamespace in Fleet's
 * installs): that service account may only "create" its own team namespace, which already exists,
 * so the request ends in AlreadyExists and nothing is created.
 */
import type { TeamModel } from "../../config/model";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import { celString } from "../teams/cel";
import { guardedPolicy, type GuardedPolicy } from "../teams/tenant-policies";

/** The username Kubernetes gives a service account. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function deployerNamespaceGuard(team: TeamModel, serviceAccount: string, agentNamespace: string, labelDomain: string): GuardedPolicy {
  const username = serviceAccountUsername(agentNamespace, serviceAccount);
  return guardedPolicy(
    `lab-team-${team.name}-deployer-namespaces`,
    { "app.kubernetes.io/managed-by": "pulumi", [labKey(labelDomain, KEY_SUFFIX.team)]: team.name },
    { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces"], operations: ["CREATE"] }] },
    [
      {
        expression: `request.userInfo.username != ${celString(username)} || object.metadata.name == ${celString(team.namespace)}`,
        message: `${username} may create no namespace but ${team.namespace} (Helm's CreateNamespace of Fleet installs)`,
        reason: "Forbidden",
      },
    ],
  );
}

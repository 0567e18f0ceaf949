/**
 * The admission policy that keeps a team from forging Helm release records, which the Fleet agent
 * acts on with the identity the record names.
 *
 * Why: the agent lists every Helm release record of the cluster (Secrets labelled `owner=helm`,
 * helm v3.19.5 pkg/storage/driver/secrets.go L84; fleet v0.14.6 internal/helmdeployer/list.go
 * ListDeployments L24-58) and takes the bundle ID, agent namespace and service account from the
 * chart annotations inside the record. A record whose bundle has no BundleDeployment, or whose
 * name differs from the BundleDeployment's release, is uninstalled by the garbage collector
 * (internal/cmd/agent/deployer/cleanup/cleanup.go L122-150) impersonating the service account the
 * record names, or with the agent's own client when it names none (internal/helmdeployer/delete.go
 * deleteByRelease L50-96, deployer.go getCfg L119-150, impersonate.go getServiceAccount L26-43).
 * `helm uninstall` deletes every object of the record's manifest, in whatever namespace it names.
 * A team member can create Secrets in the team namespace (team-roles.ts), a team chart's hook is
 * created by Helm as the team's deployer without Fleet's post-renderer (helm v3.19.5
 * pkg/action/action.go renderResources L172-233 post-renders the manifests only), and the gitjob's
 * token (docs/security.md row 13) creates Secrets in the workspace: each could write a record that
 * names `fleet-agent` and lists another team's Deployments, the monitoring stack or CRDs.
 *
 * What a real record looks like: written by Helm's storage driver through the agent impersonating
 * the team's deployer, type `helm.sh/release.v1`, label `owner: helm`, no annotations (secrets.go
 * newSecretsObject L216-257). Every object of a release instead carries Fleet's post-render label
 * `objectset.rio.cattle.io/hash` (fleet internal/helmdeployer/postrender.go L75-92) and Helm's
 * `meta.helm.sh/release-name` annotation (helm pkg/action/install.go L339); a hook carries
 * `helm.sh/hook`. In the workspace no release is ever installed.
 */
import type { TeamModel } from "../../config/model";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import { celString } from "../teams/cel";
import { guardedPolicy, namespacesNamed, type GuardedPolicy } from "../teams/tenant-policies";

/** The Secret type and label by which Helm's storage driver knows its release records. */
export const HELM_RELEASE_TYPE = "helm.sh/release.v1";
export const HELM_OWNER_LABEL = "owner";

/**
 * The policy `lab-team-<team>-helm-releases`: on CREATE and UPDATE of Secrets in the team
 * namespace and the team's Fleet workspace, a Secret that is a Helm release record (type
 * `helm.sh/release.v1` or label `owner: helm`) is written only in the team namespace, only by
 * `deployerUsername` (the agent impersonating the team's deployer), and carries neither
 * `objectset.rio.cattle.io/hash` nor `helm.sh/hook` nor `meta.helm.sh/release-name`.
 */
export function helmReleaseGuard(team: TeamModel, workspace: string, deployerUsername: string, labelDomain: string): GuardedPolicy {
  const labels = "object.metadata.labels";
  const annotations = "object.metadata.annotations";
  const isRecord =
    `((has(object.type) && object.type == ${celString(HELM_RELEASE_TYPE)}) || ` +
    `(has(${labels}) && ${celString(HELM_OWNER_LABEL)} in ${labels} && ${labels}[${celString(HELM_OWNER_LABEL)}] == 'helm'))`;
  const written =
    `request.namespace == ${celString(team.namespace)} && request.userInfo.username == ${celString(deployerUsername)} && ` +
    `!(has(${labels}) && 'objectset.rio.cattle.io/hash' in ${labels}) && ` +
    `!(has(${annotations}) && ('helm.sh/hook' in ${annotations} || 'meta.helm.sh/release-name' in ${annotations}))`;
  return guardedPolicy(
    `lab-team-${team.name}-helm-releases`,
    { "app.kubernetes.io/managed-by": "pulumi", [labKey(labelDomain, KEY_SUFFIX.team)]: team.name },
    {
      namespaceSelector: namespacesNamed([team.namespace, workspace]),
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["secrets"], operations: ["CREATE", "UPDATE"] }],
    },
    [
      {
        expression: `!${isRecord} || (${written})`,
        message: `Helm release records (Secrets of type ${HELM_RELEASE_TYPE} or labelled owner=helm) in ${team.namespace} are written only by Helm's storage for ${deployerUsername}, and none in ${workspace}: the Fleet agent uninstalls a record's manifest with the identity the record names`,
        reason: "Forbidden",
      },
    ],
  );
}

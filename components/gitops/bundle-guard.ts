/**
 * The admission policy on a team's Fleet Bundles: every deployment of a team bundle runs as the
 * team's own deployer service account and into the team namespace, whatever the team's fleet.yaml
 * says.
 *
 * Why: the GitRepo's `serviceAccount` reaches only the bundle's top-level options (`fleet apply
 * --service-account`, fleet v0.14.6 internal/cmd/controller/gitops/reconciler/gitjob.go L667;
 * internal/bundlereader/read.go L220-222 sets `bundle.Spec.ServiceAccount` only). A fleet.yaml
 * `targetCustomizations` entry is a BundleTarget with its own BundleDeploymentOptions
 * (pkg/apis/fleet.cattle.io/v1alpha1/bundle_types.go L228-229), appended to the bundle's targets
 * (read.go L177), matched without the GitRepo's restrictions (internal/cmd/controller/target/
 * matcher/bundlematch.go L44-46) and merged over the bundle's options, `serviceAccount` included
 * (internal/cmd/controller/options/calculate.go L37-38; target/builder.go L82-91). The agent then
 * impersonates that account in its own namespace (internal/helmdeployer/impersonate.go
 * getServiceAccount): `serviceAccount: fleet-agent` deploys the team's manifests with the agent's
 * cluster-wide rights (delete the team quota, bind `cluster-admin` in the namespace, create k3s
 * HelmCharts whose install Job runs as cluster-admin), `team-<other>` with another team's. The
 * GitRepoRestriction (`allowedServiceAccounts`) checks the GitRepo only.
 */
import type { TeamModel } from "../../config/model";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import { celString } from "../teams/cel";
import { guardedPolicy, namespacesNamed, type GuardedPolicy } from "../teams/tenant-policies";

/**
 * The policy `lab-team-<team>-bundles`: on CREATE and UPDATE of Bundles in the team's Fleet workspace
 * (selected by the API-server-set name label), whoever writes them, the bundle's `serviceAccount`
 * is the team's deployer and no target sets another one; the bundle's and every target's
 * `namespace` (Fleet's `targetNamespace`, JSON name `namespace`) is the team namespace.
 */
export function bundleGuard(team: TeamModel, workspace: string, serviceAccount: string, labelDomain: string): GuardedPolicy {
  const account = celString(serviceAccount);
  const namespace = celString(team.namespace);
  const targets = (cond: string) => `(!has(object.spec.targets) || object.spec.targets.all(t, ${cond}))`;
  return guardedPolicy(
    `lab-team-${team.name}-bundles`,
    { "app.kubernetes.io/managed-by": "pulumi", [labKey(labelDomain, KEY_SUFFIX.team)]: team.name },
    {
      namespaceSelector: namespacesNamed([workspace]),
      // Bundles live in the GitRepo's namespace (the team's workspace).
      resourceRules: [{ apiGroups: ["fleet.cattle.io"], apiVersions: ["v1alpha1"], resources: ["bundles"], operations: ["CREATE", "UPDATE"] }],
    },
    [
      {
        expression:
          `has(object.spec.serviceAccount) && object.spec.serviceAccount == ${account} && ` +
          targets(`!has(t.serviceAccount) || t.serviceAccount == '' || t.serviceAccount == ${account}`),
        message: `bundles of team ${team.name} deploy only as service account ${serviceAccount} (fleet.yaml targetCustomizations may not set serviceAccount)`,
        reason: "Forbidden",
      },
      {
        expression:
          `has(object.spec.namespace) && object.spec.namespace == ${namespace} && ` +
          targets(`!has(t.namespace) || t.namespace == ${namespace}`),
        message: `bundles of team ${team.name} deploy only into namespace ${team.namespace}`,
        reason: "Forbidden",
      },
    ],
  );
}

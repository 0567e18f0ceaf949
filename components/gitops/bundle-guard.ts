/**
 * The admission policy on a team's Fleet Bundles: every deployment of a team bundle runs as the
 * team's own deployer service account, into the team namespace, under a bundle and release name
 * the team owns, from files of its own repository — whatever the team's fleet.yaml says and
 * whoever writes the Bundle (the gitjob's `fleet apply`, or anyone holding that job's token).
 *
 * Identity. The GitRepo's `serviceAccount` reaches only the bundle's top-level options (`fleet apply
 * --service-account`, fleet v0.14.6 internal/cmd/controller/gitops/reconciler/gitjob.go L667;
 * internal/bundlereader/read.go L220-222 sets `bundle.Spec.ServiceAccount` only). A fleet.yaml
 * `targetCustomizations` entry is a BundleTarget with its own BundleDeploymentOptions
 * (pkg/apis/fleet.cattle.io/v1alpha1/bundle_types.go L228-229), appended to the bundle's targets
 * (read.go L177), matched without the GitRepo's restrictions (internal/cmd/controller/target/
 * matcher/bundlematch.go L44-46) and merged over the bundle's options, `serviceAccount` included
 * (internal/cmd/controller/options/calculate.go L37-38; target/builder.go L82-91). The agent then
 * impersonates that account in its own namespace (internal/helmdeployer/impersonate.go
 * getServiceAccount): `serviceAccount: fleet-agent` deploys the team's manifests with the agent's
 * cluster-wide rights. The GitRepoRestriction (`allowedServiceAccounts`) checks the GitRepo only.
 *
 * Names. fleet.yaml `name:` sets the Bundle name verbatim (read.go L184-187). The controller names
 * the BundleDeployment after the Bundle alone, in the cluster's namespace (internal/cmd/controller/
 * target/partition.go L36-39), and CreateOrUpdate overwrites whatever BundleDeployment has that
 * name (reconciler/bundle_controller.go L504-512): a team bundle named like the platform's
 * (`lab-platform-fleet`), Fleet's agent bundle (`fleet-agent-local`) or another team's takes over
 * that deployment, and the agent uninstalls the victim's release, whose namespace/name no longer
 * matches (internal/cmd/agent/deployer/cleanup/cleanup.go L143-150; rancher/fleet#3762). The
 * release name is `helm.releaseName` or the bundle name (internal/helmdeployer/deployer.go
 * L108-116), in `namespace` (targetNamespace) or else `defaultNamespace`. So the Bundle name and
 * every `helm.releaseName` carry `<team>-` (team names are prefix-free and keep clear of
 * PLATFORM_BUNDLE_PREFIXES: config/checks/fleet-bundle-names.ts), and `defaultNamespace` is the
 * team namespace like `namespace`.
 *
 * Files. `helm.chart` without `repo` is read as a go-getter source relative to the bundle
 * directory when it is not a path inside it (internal/bundlereader/resources.go addRemoteCharts
 * L208-235, charturl.go ChartURL L118-120, loaddirectory.go GetContent L207-338): an absolute path
 * or `file:` URL such as `/var/run/secrets/kubernetes.io/serviceaccount` puts the gitjob's
 * service-account token into the Bundle and, through a chart template, a ConfigMap of the team;
 * `helm.valuesFiles` are read as `<dir>/<file>` (resources.go generateValues L184). Both must stay
 * inside the repository (no absolute path, `file:` URL or `..` segment). Symlinks inside the
 * repository are followed too (loaddirectory.go L326 `os.ReadFile` on every walked entry), which no
 * field of the Bundle shows: docs/security.md records what that token can do.
 */
import type { TeamModel } from "../../config/model";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import { teamBundlePrefix } from "../../config/fleet-names";
import { celString } from "../teams/cel";
import { guardedPolicy, namespacesNamed, type GuardedPolicy, type Validation } from "../teams/tenant-policies";

/** CEL: `cond(o)` holds for the bundle's own options and for every target's (BundleTarget inlines them). */
function everyOptions(cond: (options: string) => string): string {
  return `${cond("object.spec")} && (!has(object.spec.targets) || object.spec.targets.all(t, ${cond("t")}))`;
}

/** CEL: the string `path` names a file or directory inside the bundle's directory. */
function staysInside(path: string): string {
  return (
    `!(${path}.startsWith('/') || ${path}.matches('^[Ff][Ii][Ll][Ee]:') || ${path} == '..' || ` +
    `${path}.startsWith('../') || ${path}.contains('/../') || ${path}.endsWith('/..'))`
  );
}

/**
 * CEL: an UPDATE that leaves the spec and labels as they were (a finalizer added or removed, an
 * annotation): a Bundle from before a rule existed can still be deleted — Fleet removes its
 * finalizer with an UPDATE — while nothing it deploys or how it is mapped can change.
 */
const ONLY_BOOKKEEPING =
  "(request.operation == 'UPDATE' && object.spec == oldObject.spec && has(object.metadata.labels) == has(oldObject.metadata.labels) && " +
  "(!has(object.metadata.labels) || object.metadata.labels == oldObject.metadata.labels))";

/**
 * The policy `lab-team-<team>-bundles`: on CREATE and UPDATE of Bundles in the team's Fleet
 * workspace (selected by the API-server-set name label), whoever writes them:
 * - the bundle's `serviceAccount` is the team's deployer and no target sets another one;
 * - the bundle's and every target's `namespace` (Fleet's `targetNamespace`, JSON name `namespace`)
 *   is the team namespace, and `defaultNamespace`, where set, too;
 * - `metadata.name` and every `helm.releaseName` start with `<team>-`;
 * - every `helm.chart` and `helm.valuesFiles` entry stays inside the repository;
 * except on an UPDATE that changes neither spec nor labels (ONLY_BOOKKEEPING).
 */
export function bundleGuard(team: TeamModel, workspace: string, serviceAccount: string, labelDomain: string): GuardedPolicy {
  const account = celString(serviceAccount);
  const namespace = celString(team.namespace);
  const prefix = teamBundlePrefix(team.name);
  const owned = celString(prefix);
  const targets = (cond: string) => `(!has(object.spec.targets) || object.spec.targets.all(t, ${cond}))`;
  const rules: Validation[] = [
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
        targets(`!has(t.namespace) || t.namespace == ${namespace}`) +
        ` && ` +
        everyOptions((o) => `(!has(${o}.defaultNamespace) || ${o}.defaultNamespace == '' || ${o}.defaultNamespace == ${namespace})`),
      message: `bundles of team ${team.name} deploy only into namespace ${team.namespace} (namespace and defaultNamespace)`,
      reason: "Forbidden",
    },
    {
      expression: `object.metadata.name.startsWith(${owned})`,
      message: `bundle names of team ${team.name} start with "${prefix}" (fleet.yaml name:): a bundle of another name would take over that name's deployment`,
      reason: "Forbidden",
    },
    {
      expression: everyOptions(
        (o) => `(!has(${o}.helm) || !has(${o}.helm.releaseName) || ${o}.helm.releaseName == '' || ${o}.helm.releaseName.startsWith(${owned}))`,
      ),
      message: `Helm release names of team ${team.name} start with "${prefix}" (fleet.yaml helm.releaseName)`,
      reason: "Forbidden",
    },
    {
      expression: everyOptions(
        (o) =>
          `(!has(${o}.helm) || ((!has(${o}.helm.chart) || ${staysInside(`${o}.helm.chart`)}) && ` +
          `(!has(${o}.helm.valuesFiles) || ${o}.helm.valuesFiles.all(f, ${staysInside("f")}))))`,
      ),
      message: `bundles of team ${team.name} read charts and values files only from their repository (fleet.yaml helm.chart, helm.valuesFiles: no absolute path, file: URL or '..')`,
      reason: "Forbidden",
    },
  ];
  return guardedPolicy(
    `lab-team-${team.name}-bundles`,
    { "app.kubernetes.io/managed-by": "pulumi", [labKey(labelDomain, KEY_SUFFIX.team)]: team.name },
    {
      namespaceSelector: namespacesNamed([workspace]),
      // Bundles live in the GitRepo's namespace (the team's workspace).
      resourceRules: [{ apiGroups: ["fleet.cattle.io"], apiVersions: ["v1alpha1"], resources: ["bundles"], operations: ["CREATE", "UPDATE"] }],
    },
    rules.map((rule) => ({ ...rule, expression: `${ONLY_BOOKKEEPING} || (${rule.expression})` })),
  );
}

/**
 * The admission policy that keeps a BundleDeployment with the Bundle that created it: a second
 * Bundle of the same name, from another namespace, may not take it over.
 *
 * Why: Fleet names a BundleDeployment after its Bundle alone, in the target cluster's namespace
 * (fleet v0.14.6 internal/cmd/controller/target/partition.go L36-39), and the Bundle controller
 * overwrites the spec and labels of whatever BundleDeployment has that name
 * (internal/cmd/controller/reconciler/bundle_controller.go L504-512, CreateOrUpdate). The agent then
 * deploys the newcomer's release and uninstalls the previous owner's, whose namespace/name no longer
 * matches (internal/cmd/agent/deployer/cleanup/cleanup.go L143-150; rancher/fleet#3762). Owned
 * bundle names (bundle-guard.ts, config/checks/fleet-bundle-names.ts) keep teams from choosing such
 * a name; this policy holds for every Bundle, the platform's and Fleet's own included, whatever
 * chose the name. The controller labels every BundleDeployment with its Bundle's namespace
 * (`fleet.cattle.io/bundle-namespace`, target/target.go BundleDeploymentLabels L105-106); an
 * UPDATE that changes it is a takeover and is refused, so the Bundle that lost the race reports the
 * error and the deployed release stays.
 */
import { celString } from "../teams/cel";
import { guardedPolicy, type GuardedPolicy } from "../teams/tenant-policies";

/** The label Fleet sets on a BundleDeployment to its Bundle's namespace (pkg/apis/fleet.cattle.io/v1alpha1/gitrepo_types.go L15). */
export const BUNDLE_NAMESPACE_LABEL = "fleet.cattle.io/bundle-namespace";

export const BUNDLE_DEPLOYMENT_OWNER_POLICY = "lab-fleet-bundle-deployment-owner";

/**
 * The policy `lab-fleet-bundle-deployment-owner`: on UPDATE of `fleet.cattle.io` BundleDeployments
 * (the main resource; status is a subresource and not matched), in every namespace, from any
 * identity, a `fleet.cattle.io/bundle-namespace` label that was set stays set and unchanged.
 */
export function bundleDeploymentOwnerGuard(): GuardedPolicy {
  const key = celString(BUNDLE_NAMESPACE_LABEL);
  const had = `has(oldObject.metadata.labels) && ${key} in oldObject.metadata.labels`;
  const keeps = `has(object.metadata.labels) && ${key} in object.metadata.labels && object.metadata.labels[${key}] == oldObject.metadata.labels[${key}]`;
  return guardedPolicy(
    BUNDLE_DEPLOYMENT_OWNER_POLICY,
    { "app.kubernetes.io/managed-by": "pulumi" },
    { resourceRules: [{ apiGroups: ["fleet.cattle.io"], apiVersions: ["v1alpha1"], resources: ["bundledeployments"], operations: ["UPDATE"] }] },
    [
      {
        expression: `!(${had}) || (${keeps})`,
        message: `a BundleDeployment stays with the Bundle that created it (${BUNDLE_NAMESPACE_LABEL} unchanged): a Bundle of the same name in another namespace would take over its deployment`,
        reason: "Forbidden",
      },
    ],
  );
}

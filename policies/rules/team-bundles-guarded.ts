/**
 * Every team GitRepo's namespace (the team's Fleet workspace) has a fail-closed, Deny-bound
 * ValidatingAdmissionPolicy on Fleet `bundles` (CREATE and UPDATE, selected by namespace name): a
 * fleet.yaml `targetCustomizations[].serviceAccount` otherwise makes the Fleet agent impersonate any
 * account of its namespace, its own cluster-wide one included (fleet v0.14.6
 * internal/cmd/controller/options/calculate.go L37-38; docs/security.md row 7). A team GitRepo is
 * one with a `serviceAccount`; the platform repo deploys as the agent on purpose and has none.
 *
 * Bundle names (docs/security.md row 12): a team GitRepo in `fleet-team-<team>` is named
 * `<team>-…`, because `fleet apply` names its bundles after it and a bundle name is its
 * BundleDeployment's, shared by every bundle of that name (fleet v0.14.6
 * internal/cmd/controller/target/partition.go L36-39); and where any team GitRepo exists, an
 * enforced policy on UPDATE of `bundledeployments` in every namespace (no namespace selector) keeps
 * a BundleDeployment with its bundle.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { FLEET_WORKSPACE_PREFIX, teamBundlePrefix } from "../../config/fleet-names";
import { admissionPolicies, covers, resourceRules, selectsByName } from "../lib/admission-guards";
import { TYPES } from "../lib/types";

export const teamBundlesGuarded: StackValidationPolicy = {
  name: "team-bundles-guarded",
  description:
    "Every team GitRepo's namespace has a fail-closed, Deny-bound admission policy on Fleet Bundles, selected by its name; team GitRepos carry the team's name prefix; BundleDeployments keep their bundle.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const { policies, enforced } = admissionPolicies(args.resources);
    const teamRepos = args.resources.filter((r) => r.type === TYPES.gitRepo && r.props.spec?.serviceAccount);
    for (const repo of teamRepos) {
      const namespace: string = repo.props.metadata?.namespace ?? "";
      const name: string = repo.props.metadata?.name ?? "";
      const guarded = policies.some(
        (p) => selectsByName(p, namespace) && resourceRules(p).some((r) => covers(r, "bundles", ["CREATE", "UPDATE"], "fleet.cattle.io")) && enforced(p),
      );
      if (!guarded) {
        report(`GitRepo ${namespace}/${name} (service account ${repo.props.spec.serviceAccount}): no fail-closed ValidatingAdmissionPolicy with a Deny binding guards the Bundles of ${namespace} (selected by name)`, repo.urn);
      }
      if (namespace.startsWith(FLEET_WORKSPACE_PREFIX)) {
        const prefix = teamBundlePrefix(namespace.slice(FLEET_WORKSPACE_PREFIX.length));
        if (!name.startsWith(prefix)) {
          report(`GitRepo ${namespace}/${name}: a team GitRepo's name starts with "${prefix}" (Fleet names its bundles, and their deployments, after it)`, repo.urn);
        }
      }
    }
    const ownerKept = policies.some(
      (p) => !p.props.spec?.matchConstraints?.namespaceSelector && resourceRules(p).some((r) => covers(r, "bundledeployments", ["UPDATE"], "fleet.cattle.io")) && enforced(p),
    );
    if (teamRepos.length > 0 && !ownerKept) {
      report("no fail-closed ValidatingAdmissionPolicy with a Deny binding guards UPDATE of Fleet bundledeployments in every namespace (a bundle of the same name would take over another's deployment)");
    }
  },
};

/**
 * Every team GitRepo's namespace (the team's Fleet workspace) has a fail-closed, Deny-bound
 * ValidatingAdmissionPolicy on Fleet `bundles` (CREATE and UPDATE, selected by namespace name): a
 * fleet.yaml `targetCustomizations[].serviceAccount` otherwise makes the Fleet agent impersonate any
 * account of its namespace, its own cluster-wide one included (fleet v0.14.6
 * internal/cmd/controller/options/calculate.go L37-38; docs/security.md row 7). A team GitRepo is
 * one with a `serviceAccount`; the platform repo deploys as the agent on purpose and has none.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { admissionPolicies, covers, resourceRules, selectsByName } from "../lib/admission-guards";
import { TYPES } from "../lib/types";

export const teamBundlesGuarded: StackValidationPolicy = {
  name: "team-bundles-guarded",
  description: "Every team GitRepo's namespace has a fail-closed, Deny-bound admission policy on Fleet Bundles, selected by its name.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const { policies, enforced } = admissionPolicies(args.resources);
    for (const repo of args.resources.filter((r) => r.type === TYPES.gitRepo && r.props.spec?.serviceAccount)) {
      const namespace = repo.props.metadata?.namespace;
      const guarded = policies.some(
        (p) => selectsByName(p, namespace) && resourceRules(p).some((r) => covers(r, "bundles", ["CREATE", "UPDATE"], "fleet.cattle.io")) && enforced(p),
      );
      if (!guarded) {
        report(`GitRepo ${namespace}/${repo.props.metadata?.name} (service account ${repo.props.spec.serviceAccount}): no fail-closed ValidatingAdmissionPolicy with a Deny binding guards the Bundles of ${namespace} (selected by name)`, repo.urn);
      }
    }
  },
};

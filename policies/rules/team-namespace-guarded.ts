/**
 * Every team namespace is guarded by ValidatingAdmissionPolicies that select it by what a tenant
 * cannot change (its name), fail closed and are bound with `validationActions: [Deny]`:
 *
 * - one on the namespace itself (resource `namespaces`, UPDATE and DELETE, `resourceNames` naming
 *   it): the Fleet agent can otherwise rewrite or drop its placement annotations;
 * - one on its pods (resource `pods`, CREATE and UPDATE, namespace selector on
 *   `kubernetes.io/metadata.name`): placement and privileges checked on the pod itself.
 *
 * A namespace found only through a label (which the Fleet agent deletes) does not count.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { admissionPolicies, covers, resourceRules as rules, selectsByName } from "../lib/admission-guards";
import { teamNamespaces } from "../lib/team-objects";

function isNamespaceGuard(policy: PolicyResource, namespace: string): boolean {
  return rules(policy).some((r) => covers(r, "namespaces", ["UPDATE", "DELETE"]) && (r.resourceNames ?? []).includes(namespace));
}

function isPodGuard(policy: PolicyResource, namespace: string): boolean {
  return selectsByName(policy, namespace) && rules(policy).some((r) => covers(r, "pods", ["CREATE", "UPDATE"]));
}

export const teamNamespaceGuarded: StackValidationPolicy = {
  name: "team-namespace-guarded",
  description: "Every team namespace has fail-closed, Deny-bound admission policies on its own metadata and on its pods, selected by its name.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const { policies, enforced } = admissionPolicies(args.resources);
    for (const { resource, namespace, team } of teamNamespaces(args.resources)) {
      for (const [what, is] of [["its namespace metadata", isNamespaceGuard], ["its pods", isPodGuard]] as const) {
        if (!policies.some((p) => is(p, namespace) && enforced(p))) {
          report(`team "${team}": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards ${what} in ${namespace} (selected by name)`, resource.urn);
        }
      }
    }
  },
};

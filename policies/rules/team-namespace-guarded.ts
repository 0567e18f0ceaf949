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
import { teamNamespaces } from "../lib/team-objects";
import { TYPES } from "../lib/types";

const NAME_LABEL = "kubernetes.io/metadata.name";

function rules(policy: PolicyResource): Array<Record<string, any>> {
  return policy.props.spec?.matchConstraints?.resourceRules ?? [];
}

function covers(rule: Record<string, any>, resource: string, operations: string[]): boolean {
  const ops: string[] = rule.operations ?? [];
  return (rule.apiGroups ?? []).includes("") && (rule.resources ?? []).includes(resource) && operations.every((o) => ops.includes(o) || ops.includes("*"));
}

/** Whether the policy's namespace selector selects exactly by name and includes `namespace`. */
function selectsByName(policy: PolicyResource, namespace: string): boolean {
  const selector = policy.props.spec?.matchConstraints?.namespaceSelector;
  if (!selector || selector.matchLabels) return false;
  const expressions: Array<Record<string, any>> = selector.matchExpressions ?? [];
  return expressions.length > 0 && expressions.every((e) => e.key === NAME_LABEL && e.operator === "In") && expressions.every((e) => (e.values ?? []).includes(namespace));
}

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
    const policies = args.resources.filter((r) => r.type === TYPES.validatingAdmissionPolicy);
    const bindings = args.resources.filter((r) => r.type === TYPES.validatingAdmissionPolicyBinding);
    const enforced = (policy: PolicyResource) =>
      policy.props.spec?.failurePolicy === "Fail" &&
      bindings.some((b) => b.props.spec?.policyName === policy.props.metadata?.name && (b.props.spec?.validationActions ?? []).includes("Deny"));
    for (const { resource, namespace, team } of teamNamespaces(args.resources)) {
      for (const [what, is] of [["its namespace metadata", isNamespaceGuard], ["its pods", isPodGuard]] as const) {
        if (!policies.some((p) => is(p, namespace) && enforced(p))) {
          report(`team "${team}": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards ${what} in ${namespace} (selected by name)`, resource.urn);
        }
      }
    }
  },
};

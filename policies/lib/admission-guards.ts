/**
 * Reading the stack's ValidatingAdmissionPolicies in the policy pack: what a policy's resource rules
 * cover, whether it selects a namespace by its name (the API-server-set `kubernetes.io/metadata.name`
 * label, which no tenant can remove), and whether it is enforced (`failurePolicy: Fail` and a
 * binding with `validationActions` containing `Deny`).
 */
import type { PolicyResource } from "@pulumi/policy";
import { TYPES } from "./types";

const NAME_LABEL = "kubernetes.io/metadata.name";

export function resourceRules(policy: PolicyResource): Array<Record<string, any>> {
  return policy.props.spec?.matchConstraints?.resourceRules ?? [];
}

/** Whether a resource rule covers `resource` of API group `group` for every one of `operations`. */
export function covers(rule: Record<string, any>, resource: string, operations: string[], group = ""): boolean {
  const ops: string[] = rule.operations ?? [];
  return (rule.apiGroups ?? []).includes(group) && (rule.resources ?? []).includes(resource) && operations.every((o) => ops.includes(o) || ops.includes("*"));
}

/** Whether the policy's namespace selector selects exactly by name and includes `namespace`. */
export function selectsByName(policy: PolicyResource, namespace: string): boolean {
  const selector = policy.props.spec?.matchConstraints?.namespaceSelector;
  if (!selector || selector.matchLabels) return false;
  const expressions: Array<Record<string, any>> = selector.matchExpressions ?? [];
  return expressions.length > 0 && expressions.every((e) => e.key === NAME_LABEL && e.operator === "In") && expressions.every((e) => (e.values ?? []).includes(namespace));
}

/** The stack's policies, and a test whether one fails closed and has a Deny binding. */
export function admissionPolicies(resources: readonly PolicyResource[]): { policies: PolicyResource[]; enforced: (policy: PolicyResource) => boolean } {
  const policies = resources.filter((r) => r.type === TYPES.validatingAdmissionPolicy);
  const bindings = resources.filter((r) => r.type === TYPES.validatingAdmissionPolicyBinding);
  const enforced = (policy: PolicyResource) =>
    policy.props.spec?.failurePolicy === "Fail" &&
    bindings.some((b) => b.props.spec?.policyName === policy.props.metadata?.name && (b.props.spec?.validationActions ?? []).includes("Deny"));
  return { policies, enforced };
}

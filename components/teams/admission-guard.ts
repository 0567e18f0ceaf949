import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { GuardedPolicy } from "./tenant-policies";

/**
 * Creates a ValidatingAdmissionPolicy and its binding from a manifest of tenant-policies.ts. The
 * binding waits for the policy; returns both so that what the policy protects can wait for them.
 */
export function admissionGuard(
  name: string,
  guard: GuardedPolicy,
  opts: pulumi.CustomResourceOptions,
): [k8s.admissionregistration.v1.ValidatingAdmissionPolicy, k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding] {
  const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
    name,
    { metadata: guard.policy.metadata, spec: guard.policy.spec },
    opts,
  );
  const binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
    `${name}-binding`,
    { metadata: guard.binding.metadata, spec: guard.binding.spec },
    { ...opts, dependsOn: [policy] },
  );
  return [policy, binding];
}

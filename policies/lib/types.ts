/** Type tokens and the "only these types" guard shared by the resource rules. */
import type { ResourceValidationArgs } from "@pulumi/policy";

export const TYPES = {
  namespace: "kubernetes:core/v1:Namespace",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  limitRange: "kubernetes:core/v1:LimitRange",
  nodePatch: "kubernetes:core/v1:NodePatch",
  configMap: "kubernetes:core/v1:ConfigMap",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  helmChart: "kubernetes:helm.cattle.io/v1:HelmChart",
  helmChartConfig: "kubernetes:helm.cattle.io/v1:HelmChartConfig",
  validatingAdmissionPolicy: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
  validatingAdmissionPolicyBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  gitRepo: "kubernetes:fleet.cattle.io/v1alpha1:GitRepo",
} as const;

/** Ends the validation as "not applicable" (what the analyzer records) unless the type is listed. */
export function onlyFor(args: ResourceValidationArgs, types: readonly string[]): void {
  if (!types.includes(args.type)) args.notApplicable(`applies only to ${types.join(", ")}`);
}

/**
 * VictoriaMetrics and prometheus-operator objects exist only in the monitoring namespace. The VM
 * operator (v0.66.1) watches every namespace (WATCH_NAMESPACE empty; setting it would make the
 * stack's own vmagent namespace-bound, internal/config/config.go IsClusterWideAccessAllowed L710-713),
 * and for a VMAgent without `serviceAccountName` it creates a ClusterRole and ClusterRoleBinding
 * with cluster-wide reads (internal/controller/operator/factory/vmagent/rbac.go clusterWidePolicyRules L58, with secrets, used by buildCR L221).
 * Teams hold no role on these API groups (team-roles.ts); this policy also stops any other path —
 * a Fleet bundle, the operator's prometheus-operator converter — from creating one elsewhere, so
 * the operator only ever reconciles what the stack put in the monitoring namespace.
 */
import { namespacesNotNamed, type GuardedPolicy, guardedPolicy } from "./tenant-policies";

export const MONITORING_OBJECTS_POLICY = "lab-monitoring-objects-in-monitoring-namespace";
export const MONITORING_API_GROUPS = ["operator.victoriametrics.com", "monitoring.coreos.com"] as const;

export function monitoringObjectsGuard(monitoringNamespace: string): GuardedPolicy {
  return guardedPolicy(
    MONITORING_OBJECTS_POLICY,
    { "app.kubernetes.io/managed-by": "pulumi" },
    {
      namespaceSelector: namespacesNotNamed([monitoringNamespace]),
      resourceRules: [
        { apiGroups: [...MONITORING_API_GROUPS], apiVersions: ["*"], resources: ["*"], operations: ["CREATE", "UPDATE"], scope: "Namespaced" },
      ],
    },
    [
      {
        expression: "false",
        message: `VictoriaMetrics and prometheus-operator objects belong in namespace ${monitoringNamespace} only`,
        reason: "Forbidden",
      },
    ],
  );
}

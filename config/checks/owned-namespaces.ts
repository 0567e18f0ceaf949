/**
 * The namespaces the stack creates and owns (monitoring, calibration, benchmarks) must be its own:
 * a Pulumi Namespace named after one Kubernetes, k3s or Fleet created fails `pulumi up` after the
 * machines were prepared (it already exists), and if adopted, `pulumi destroy` would delete it.
 */
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

/**
 * Namespaces Kubernetes, k3s (local-path-storage: k3s v1.32 manifests/local-storage.yaml) and Fleet
 * 0.14 create, and the prefixes they own.
 */
export const SYSTEM_NAMESPACES = [
  "default", "kube-system", "kube-public", "kube-node-lease", "local-path-storage",
  "fleet-local", "fleet-default", "cattle-fleet-system", "cattle-fleet-local-system", "cattle-system",
];
export const SYSTEM_NAMESPACE_PREFIXES = ["kube-", "cattle-", "fleet-"];

/** Why `name` is a namespace the cluster's own software owns, or undefined. */
export function systemNamespaceReason(name: string): string | undefined {
  if (SYSTEM_NAMESPACES.includes(name)) return `"${name}" is a namespace Kubernetes, k3s or Fleet creates; the stack needs one of its own`;
  const prefix = SYSTEM_NAMESPACE_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? `"${name}" starts with "${prefix}", reserved for Kubernetes, k3s and Fleet namespaces` : undefined;
}

export const ownedNamespaces: Check = ({ network, health, benchmarks }) => {
  const owned: Array<[string, string]> = [];
  if (network) owned.push(["lab:network.monitoringNamespace", network.monitoringNamespace]);
  if (health?.calibration.enabled) owned.push(["lab:health.calibration.namespace", health.calibration.namespace]);
  if (benchmarks?.enabled) owned.push(["lab:benchmarks.namespace", benchmarks.namespace]);
  const problems: ConfigProblem[] = [];
  owned.forEach(([path, name], i) => {
    const reason = systemNamespaceReason(name);
    if (reason) problems.push({ path, message: reason });
    const earlier = owned.slice(0, i).find(([, other]) => other === name);
    if (earlier) problems.push({ path, message: `"${name}" is also ${earlier[0]}; each part of the stack owns its own namespace` });
  });
  return problems;
};

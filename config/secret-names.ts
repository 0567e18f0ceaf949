/**
 * Fields that name things (namespaces, pools, nodes, label keys, receivers, resource URNs) cannot be
 * secret: a name lands in resource names, URNs and label keys, which Pulumi never encrypts, so a
 * `secure:` value there would be planned in clear (and fail the no-secret-in-clear policy with no
 * config path). Such a leaf is refused at its config path instead.
 */
import type { ConfigProblem } from "./problems";
import { keyPath } from "./problems";
import type { SecureLeaf } from "./stack-file";

/** Per top-level key, the paths of name fields below it; "*" matches any list index or map key. */
export const NAME_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "lab:cluster": [["name"], ["labelDomain"]],
  "lab:nodes": [["*", "name"], ["*", "pool"]],
  "lab:teams": [["*", "name"], ["*", "pools", "*"]],
  "lab:leases": [["*", "team"], ["*", "nodes", "*"]],
  "lab:monitoring": [["alerting", "receivers", "*", "name"], ["alerting", "routes", "comparability"], ["alerting", "routes", "labHealth"]],
  "lab:network": [["monitoringNamespace"], ["gateway", "nodes", "*"], ["gateways", "*", "nodes", "*"]],
  "lab:health": [["calibration", "namespace"], ["calibration", "pools", "*"], ["cni", "namespace"], ["foreignLoad", "systemNamespaces", "*"]],
  "lab:benchmarks": [["namespace"], ["pool"]],
};

function matches(pattern: readonly string[], path: readonly (string | number)[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === "*" || p === String(path[i]));
}

/** A problem for every `secure:` leaf that is a name field (keys given as `lab:x` or bare `x`). */
export function secretNameProblems(leaves: readonly SecureLeaf[]): ConfigProblem[] {
  return leaves
    .filter((leaf) => (NAME_FIELDS[leaf.key.includes(":") ? leaf.key : `lab:${leaf.key}`] ?? []).some((p) => matches(p, leaf.path)))
    .map((leaf) => ({
      path: keyPath(leaf.key, leaf.path),
      message: "cannot be a secret (secure:): it names namespaces, nodes, labels or resources, which are never encrypted",
    }));
}

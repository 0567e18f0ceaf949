/**
 * Every container the stack creates declares cpu and memory requests and limits: in workload pod
 * templates, and in every `resources:` map the stack sets in HelmChart values. Without them a pod is
 * scheduled on nothing and can starve an experiment sharing its node.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseQuantity } from "../../config/quantity";
import { isMap } from "../lib/helm-values";
import { checkWorkloadsAndValues } from "../lib/workloads-and-values";

const REQUIRED = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

/** Which of requests/limits × cpu/memory a `resources` map lacks (or gives as a non-quantity). */
export function missingResources(resources: unknown): string[] {
  const r = isMap(resources) ? resources : {};
  return REQUIRED.filter((path) => {
    const [section, kind] = path.split(".");
    const value = isMap(r[section]) ? (r[section] as Record<string, unknown>)[kind] : undefined;
    return parseQuantity(value) === undefined;
  });
}

function declaresNo(missing: string[]): string | undefined {
  return missing.length > 0 ? `declares no ${missing.join(", ")}` : undefined;
}

/** A PersistentVolumeClaim's `resources` (only `storage`) is not a container's. */
function isStorageOnly(resources: Record<string, unknown>): boolean {
  const keys = ["requests", "limits"].flatMap((s) => (isMap(resources[s]) ? Object.keys(resources[s] as object) : []));
  return keys.length > 0 && keys.every((k) => k === "storage");
}

export const containersDeclareResources: ResourceValidationPolicy = {
  name: "containers-declare-resources",
  description: "Every container the stack creates (workloads and resources maps in HelmChart values) declares cpu and memory requests and limits.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) =>
    checkWorkloadsAndValues(args, report, {
      container: (container) => declaresNo(missingResources(container.resources)),
      value: ({ key, value }) =>
        key === "resources" && isMap(value) && !isStorageOnly(value) ? declaresNo(missingResources(value)) : undefined,
    }),
};

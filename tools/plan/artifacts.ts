/**
 * Review artifacts of the plan bundle, derived from the recorded resources: every VMRule's groups
 * as a plain Prometheus rules file (`rules/<namespace>-<name>.yaml`, what promtool and vmalert
 * read) and every Grafana dashboard ConfigMap's JSON (`dashboards/<namespace>-<name>-<key>`).
 */
import * as yaml from "js-yaml";
import type { PlanEntry } from "./bundle";

export const VMRULE_TYPE = "kubernetes:operator.victoriametrics.com/v1beta1:VMRule";
export const CONFIGMAP_TYPE = "kubernetes:core/v1:ConfigMap";
/** The label the Grafana dashboard sidecar (victoria-metrics-k8s-stack 0.67.0) watches for. */
export const DASHBOARD_LABEL = "grafana_dashboard";

export interface Artifact {
  /** Path under the bundle directory, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

interface K8sInputs {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { groups?: unknown[] };
  data?: Record<string, string>;
}

/** A Prometheus rules file: `groups:` in the order given, long expressions on one line. */
export function renderRulesFile(groups: readonly unknown[]): string {
  return yaml.dump({ groups }, { lineWidth: -1, noRefs: true });
}

function fileName(meta: K8sInputs["metadata"]): string {
  return `${meta?.namespace ?? "default"}-${meta?.name ?? "unnamed"}`;
}

export function planArtifacts(entries: readonly PlanEntry[]): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const entry of entries) {
    const inputs = entry.inputs as K8sInputs;
    if (entry.type === VMRULE_TYPE && Array.isArray(inputs.spec?.groups)) {
      artifacts.push({ path: `rules/${fileName(inputs.metadata)}.yaml`, content: renderRulesFile(inputs.spec.groups) });
    }
    if (entry.type === CONFIGMAP_TYPE && inputs.metadata?.labels?.[DASHBOARD_LABEL] === "1") {
      for (const [key, text] of Object.entries(inputs.data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (key.endsWith(".json")) artifacts.push({ path: `dashboards/${fileName(inputs.metadata)}-${key}`, content: text });
      }
    }
  }
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Review artifacts of the plan bundle, derived from the recorded resources: every VMRule's groups
 * as a plain Prometheus rules file (`rules/<namespace>-<name>.yaml`, what promtool and vmalert
 * read) and every Grafana dashboard ConfigMap's JSON (`dashboards/<namespace>-<key>`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { DASHBOARD_LABEL } from "../../components/health/dashboards/build";
import type { PlanEntry } from "./bundle";

export const VMRULE_TYPE = "kubernetes:operator.victoriametrics.com/v1beta1:VMRule";
export const CONFIGMAP_TYPE = "kubernetes:core/v1:ConfigMap";

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
  const taken = new Set<string>();
  // Dashboards are named by namespace and data key (the dashboard's file name); the ConfigMap name joins in on a clash.
  const dashboardPath = (meta: K8sInputs["metadata"], key: string) => {
    const short = `dashboards/${meta?.namespace ?? "default"}-${key}`;
    const chosen = taken.has(short) ? `dashboards/${fileName(meta)}-${key}` : short;
    taken.add(chosen);
    return chosen;
  };
  for (const entry of entries) {
    const inputs = entry.inputs as K8sInputs;
    if (entry.type === VMRULE_TYPE && Array.isArray(inputs.spec?.groups)) {
      artifacts.push({ path: `rules/${fileName(inputs.metadata)}.yaml`, content: renderRulesFile(inputs.spec.groups) });
    }
    if (entry.type === CONFIGMAP_TYPE && inputs.metadata?.labels?.[DASHBOARD_LABEL] === "1") {
      for (const [key, text] of Object.entries(inputs.data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (key.endsWith(".json")) artifacts.push({ path: dashboardPath(inputs.metadata, key), content: text });
      }
    }
  }
  return artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes the artifacts under `outDir`, replacing whatever an earlier plan left in rules/ and dashboards/. */
export function writeArtifacts(outDir: string, artifacts: readonly Artifact[]): void {
  for (const dir of ["rules", "dashboards"]) fs.rmSync(path.join(outDir, dir), { recursive: true, force: true });
  for (const artifact of artifacts) {
    const file = path.join(outDir, ...artifact.path.split("/"));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, artifact.content);
  }
}

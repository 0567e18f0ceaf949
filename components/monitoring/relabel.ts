/**
 * A relabeling rule in the Prometheus spelling (snake_case), which both the VM operator CRDs
 * (`metricRelabelConfigs`, `relabelConfigs`, `inlineUrlRelabelConfig`) and a plain scrape config accept,
 * so one value serves the cluster objects and the configs the tests run through vmagent.
 */
export interface RelabelConfig {
  readonly action?: "replace" | "keep" | "drop" | "labeldrop" | "labelkeep" | "labelmap";
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
}

/** Sets `label` to a constant on every series of the job. */
export function setLabel(label: string, value: string): RelabelConfig {
  return { target_label: label, replacement: value };
}

/** Copies a discovery meta label (e.g. `__meta_kubernetes_pod_node_name`) into `label`. */
export function copyLabel(from: string, label: string): RelabelConfig {
  return { source_labels: [from], target_label: label };
}

/** The meta label Kubernetes discovery gives a pod label: every character outside [a-zA-Z0-9_] becomes "_". */
export function podLabelMeta(labelKey: string): string {
  return `__meta_kubernetes_pod_label_${labelKey.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

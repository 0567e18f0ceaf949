/**
 * The scrape jobs of the three tiers, as plain data derived from the model. The VM operator objects
 * (scrape-objects.ts) and the plain Prometheus-style config the tests run through vmagent
 * (prometheus-config.ts) are both rendered from this one list.
 */
import type { LabModel } from "../../config/model";
import { ALLOW_LISTS, TIER_LABEL, keepRelabel, type AllowListId } from "./metrics";
import { STACK_NAME } from "./names";
import { INVENTORY_COLLECTORS } from "./node-exporter";
import { copyLabel, podLabelMeta, setLabel, type RelabelConfig } from "./relabel";

export type Tier = "infra" | "inventory" | "experiment";
export type ScrapeKind = "VMNodeScrape" | "VMServiceScrape" | "VMPodScrape";

/** A label copied from a Kubernetes discovery meta label onto every series of the target. */
export interface TargetLabel {
  readonly label: string;
  readonly meta: string;
}

export interface ScrapeJob {
  /** Object and job_name, e.g. `node-exporter-inventory`. */
  readonly name: string;
  /** `job` label the series carry (the chart's rules select on it). */
  readonly job: string;
  readonly kind: ScrapeKind;
  readonly tier: Tier;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly allowList: AllowListId;
  /** New series per target beyond this are dropped (vmagent series_limit). */
  readonly seriesLimit: number;
  /**
   * A scrape with more samples than this fails as a whole and stores nothing (sample_limit): the
   * hard stop. Holds because vmagent runs without stream parsing (stack-values.ts).
   */
  readonly sampleLimit: number;
  readonly path: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly scheme: "http" | "https";
  /** Port name (services, pods) or number (nodes: the kubelet). */
  readonly port: string;
  /** Kubelet endpoints: service-account token and the cluster CA, with verification off as the chart does. */
  readonly kubeletAuth?: boolean;
  readonly honorLabels: boolean;
  /** False for cAdvisor: its own timestamps leave gaps (VictoriaMetrics#4697). */
  readonly honorTimestamps?: boolean;
  /** Namespaces of the selected services/pods; none for node scrapes. */
  readonly namespaces?: readonly string[];
  /** Label selector of services (VMServiceScrape) or pods (VMPodScrape); empty selects all. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly targetLabels: readonly TargetLabel[];
  /** Metric relabeling before the allow-list keep (label drops, pod-level cgroup drops). */
  readonly metricRelabelBefore: readonly RelabelConfig[];
  /** Experiment jobs: the team whose own vmagent (team-vmagents.ts) scrapes it; platform jobs have none. */
  readonly team?: string;
}

const KUBELET_PORT = "10250";

/** Scrape timeout: half the interval, at most 10s. */
function timeout(intervalSeconds: number): number {
  return Math.min(10, Math.max(1, Math.floor(intervalSeconds / 2)));
}

export function scrapeJobs(model: LabModel): ScrapeJob[] {
  const m = model.monitoring;
  const budgets = m.seriesBudgets;
  const tier = (t: Tier) => ({ tier: t, intervalSeconds: m.scrapeSeconds[t], timeoutSeconds: timeout(m.scrapeSeconds[t]) });
  const limits = (series: number) => ({ seriesLimit: series, sampleLimit: series * 2 });
  const nodeOfPod: TargetLabel = { label: "node", meta: "__meta_kubernetes_pod_node_name" };
  const nodeExporter = {
    job: "node-exporter",
    kind: "VMServiceScrape" as const,
    ...limits(budgets.nodeExporter),
    path: "/metrics",
    scheme: "http" as const,
    port: "metrics",
    honorLabels: false,
    namespaces: [m.namespace],
    selector: { "app.kubernetes.io/name": "prometheus-node-exporter", "app.kubernetes.io/instance": STACK_NAME },
    targetLabels: [nodeOfPod],
    metricRelabelBefore: [],
  };
  const kubelet = {
    job: "kubelet",
    kind: "VMNodeScrape" as const,
    ...tier("infra"),
    scheme: "https" as const,
    port: KUBELET_PORT,
    kubeletAuth: true,
    honorLabels: true,
    honorTimestamps: false,
    targetLabels: [
      { label: "node", meta: "__meta_kubernetes_node_name" },
      // The chart's kubelet rules select on metrics_path (e.g. "/metrics/cadvisor").
      { label: "metrics_path", meta: "__metrics_path__" },
    ],
  };
  const kubeOvn = (component: "pinger" | "controller" | "monitor" | "cni", perNode: boolean): ScrapeJob => ({
    name: `kube-ovn-${component}`,
    job: `kube-ovn-${component}`,
    kind: "VMServiceScrape",
    ...tier("infra"),
    allowList: `kube-ovn-${component}`,
    ...limits(budgets.kubeOvn),
    path: "/metrics",
    scheme: "http",
    port: "metrics",
    honorLabels: false,
    namespaces: ["kube-system"],
    selector: { app: `kube-ovn-${component}` },
    targetLabels: perNode ? [nodeOfPod] : [],
    metricRelabelBefore: [],
  });

  const jobs: ScrapeJob[] = [
    {
      ...nodeExporter,
      name: "node-exporter",
      ...tier("infra"),
      allowList: "node-exporter",
      // One series per CPU and available governor; the gate only asks whether "performance" is active.
      metricRelabelBefore: [{ action: "drop", source_labels: ["__name__", "governor"], regex: "node_cpu_scaling_governor;(conservative|ondemand|userspace|powersave|schedutil)" }],
    },
    {
      ...nodeExporter,
      name: "node-exporter-inventory",
      ...tier("inventory"),
      allowList: "node-inventory",
      // Only the cheap identity collectors; everything else comes from the infra scrape.
      params: { "collect[]": [...INVENTORY_COLLECTORS] },
    },
    {
      ...kubelet,
      name: "kubelet",
      allowList: "kubelet",
      ...limits(budgets.kubelet),
      path: "/metrics",
      metricRelabelBefore: [{ action: "labeldrop", regex: "uid" }],
    },
    {
      ...kubelet,
      name: "cadvisor",
      allowList: "cadvisor",
      ...limits(budgets.cadvisor),
      path: "/metrics/cadvisor",
      metricRelabelBefore: [
        { action: "labeldrop", regex: "(uid|id|name)" },
        // Pod-level cgroups (container="") repeat the sum of their containers' cpu and memory.
        { action: "drop", source_labels: ["__name__", "container"], regex: "container_(cpu|memory)_.+;" },
      ],
    },
    {
      name: "kube-state-metrics",
      job: "kube-state-metrics",
      kind: "VMServiceScrape",
      ...tier("infra"),
      allowList: "kube-state-metrics",
      ...limits(budgets.kubeStateMetrics),
      path: "/metrics",
      scheme: "http",
      port: "http",
      // The series' own namespace/pod/node labels must win over the target's.
      honorLabels: true,
      namespaces: [m.namespace],
      selector: { "app.kubernetes.io/name": "kube-state-metrics", "app.kubernetes.io/instance": STACK_NAME },
      targetLabels: [],
      metricRelabelBefore: [{ action: "labeldrop", regex: "(uid|container_id)" }],
    },
    kubeOvn("pinger", true),
    kubeOvn("controller", false),
    kubeOvn("monitor", false),
    kubeOvn("cni", true),
  ];
  // One experiment job per team, scraped by the team's own vmagent under the team's series budget
  // (team-series-budgets.ts); the platform vmagent never selects them.
  for (const team of model.teams) {
    jobs.push({
      name: `experiment-${team.name}`,
      job: "experiment",
      kind: "VMPodScrape",
      ...tier("experiment"),
      allowList: "experiment",
      ...limits(budgets.experimentPerTarget),
      path: m.experiment.path,
      scheme: "http",
      // Opt-in: only pods that name a container port so are scraped (not every pod on :8008).
      port: m.experiment.portName,
      honorLabels: false,
      namespaces: [team.namespace],
      selector: {},
      // The pod chooses its experiment id (a label) and every other label of its series; node and
      // namespace come from discovery and win (honorLabels false), so an id another team uses is
      // still told apart by namespace (npm run archive refuses a mixed experiment).
      targetLabels: [nodeOfPod, { label: "namespace", meta: "__meta_kubernetes_namespace" }, { label: "experiment_id", meta: podLabelMeta(m.experimentLabel) }],
      metricRelabelBefore: [],
      team: team.name,
    });
  }
  return jobs;
}

/**
 * Target relabeling common to both renderings: job and tier labels, then the copied labels. Without
 * Kubernetes discovery (static targets) the `__meta_kubernetes_*` copies are left out.
 */
export function targetRelabel(job: ScrapeJob, discovery = true): RelabelConfig[] {
  const copies = job.targetLabels.filter((t) => discovery || !t.meta.startsWith("__meta_kubernetes_"));
  const identity = job.tier === "experiment" ? [] : [PLATFORM_TARGET_IDENTITY];
  return [setLabel("job", job.job), setLabel(TIER_LABEL, job.tier), ...copies.map((t) => copyLabel(t.meta, t.label)), ...identity];
}

/**
 * Platform targets are identified by job and instance (host:port) alone. The VM operator labels every
 * target with the pod, container, service and endpoint it came from (operator v0.66.1
 * internal/controller/operator/factory/vmagent/servicescrape.go and podscrape.go, before the
 * object's own relabelConfigs, which run last); a DaemonSet rollout renames the pods, so node-level
 * series would get a second identity for the length of every range window (duplicate series in
 * every `on (...)` match, broken baselines for weeks). Dropped here, after the copies: `node` and
 * `instance` stay. With honor_labels (kube-state-metrics, cAdvisor) only the target's own labels go;
 * a series' own `pod`/`container` labels are its subject and stay. Experiment pods keep theirs.
 */
export const PLATFORM_TARGET_IDENTITY: RelabelConfig = { action: "labeldrop", regex: "pod|container|service|endpoint" };

/** Metric relabeling: drops first, then the allow-list keep. */
export function metricRelabel(job: ScrapeJob): RelabelConfig[] {
  return [...job.metricRelabelBefore, keepRelabel(ALLOW_LISTS[job.allowList])];
}

/**
 * The scrape jobs as a plain Prometheus-style scrape config, as the operator would generate it for
 * vmagent: Kubernetes discovery with the selector as relabel keeps, or static targets for tests that
 * scrape a real exporter on loopback. Same intervals, limits and relabeling as the cluster objects.
 * No `stream_parse`: vmagent 1.79 refuses stream parsing together with sample/series limits.
 */
import * as yaml from "js-yaml";
import type { RelabelConfig } from "./relabel";
import { metricRelabel, targetRelabel, type ScrapeJob } from "./scrape-jobs";
import { KUBELET_TLS, SERVICE_ACCOUNT_TOKEN } from "./scrape-objects";

/** Static targets per job name, and the values of the labels discovery would have copied. */
export interface StaticTargets {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

/** The keeps the operator generates for a selector and a port name. */
function discoveryRelabel(job: ScrapeJob): RelabelConfig[] {
  const object = job.kind === "VMPodScrape" ? "pod" : "service";
  const keeps: RelabelConfig[] = Object.entries(job.selector ?? {}).map(([key, value]) => ({
    action: "keep" as const,
    source_labels: [`__meta_kubernetes_${object}_label_${sanitize(key)}`],
    regex: value,
  }));
  if (job.kind === "VMServiceScrape") keeps.push({ action: "keep", source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: job.port });
  if (job.kind === "VMPodScrape") keeps.push({ action: "keep", source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: job.port });
  if (job.kind === "VMNodeScrape") {
    keeps.push({ action: "replace", source_labels: ["__address__"], regex: "([^:]+)(?::\\d+)?", target_label: "__address__", replacement: `$1:${job.port}` });
  }
  return keeps;
}

export function scrapeConfigEntry(job: ScrapeJob, statics?: StaticTargets): Record<string, unknown> {
  const role = { VMNodeScrape: "node", VMServiceScrape: "endpoints", VMPodScrape: "pod" }[job.kind];
  return {
    job_name: job.name,
    scrape_interval: `${job.intervalSeconds}s`,
    scrape_timeout: `${job.timeoutSeconds}s`,
    metrics_path: job.path,
    scheme: job.scheme,
    ...(job.params ? { params: job.params } : {}),
    honor_labels: job.honorLabels,
    // Never follow a target's redirect (scrape-objects.ts FOLLOW_REDIRECTS_FIELD).
    follow_redirects: false,
    ...(job.honorTimestamps === undefined ? {} : { honor_timestamps: job.honorTimestamps }),
    sample_limit: job.sampleLimit,
    series_limit: job.seriesLimit,
    ...(job.kubeletAuth ? { tls_config: { insecure_skip_verify: KUBELET_TLS.insecureSkipVerify }, bearer_token_file: SERVICE_ACCOUNT_TOKEN } : {}),
    ...(statics
      ? { static_configs: [{ targets: [...statics.targets], labels: { ...statics.labels } }] }
      : { kubernetes_sd_configs: [{ role, ...(job.namespaces ? { namespaces: { names: [...job.namespaces] } } : {}) }] }),
    relabel_configs: [...(statics ? [] : discoveryRelabel(job)), ...targetRelabel(job, !statics)],
    metric_relabel_configs: metricRelabel(job),
  };
}

/**
 * A whole `-promscrape.config` file. Jobs named in `statics` get static targets (others keep
 * discovery); `only` limits the file to those jobs.
 */
export function renderScrapeConfig(jobs: readonly ScrapeJob[], statics: Readonly<Record<string, StaticTargets>> = {}, only?: readonly string[]): string {
  const selected = only ? jobs.filter((j) => only.includes(j.name)) : jobs;
  return yaml.dump({ scrape_configs: selected.map((j) => scrapeConfigEntry(j, statics[j.name])) }, { lineWidth: -1, noRefs: true });
}

/** The cold remote write's relabeling as a `-remoteWrite.urlRelabelConfig` file. */
export function renderRelabelFile(configs: readonly RelabelConfig[]): string {
  return yaml.dump(configs, { lineWidth: -1, noRefs: true });
}

/**
 * Scrape jobs as VM operator custom resources (operator.victoriametrics.com/v1beta1, operator v0.66.1
 * field names): VMNodeScrape keeps endpoint fields at the top of its spec, VMServiceScrape under
 * `endpoints[]`, VMPodScrape under `podMetricsEndpoints[]`.
 */
import { metricRelabel, targetRelabel, type ScrapeJob } from "./scrape-jobs";

export const VM_OPERATOR_API = "operator.victoriametrics.com/v1beta1";

/**
 * vmagent's service-account token authenticates it to the kubelet; the kubelet's serving certificate
 * is self-signed under k3s, so verification is off (as in the chart's kubelet scrape).
 */
export const KUBELET_TLS = { insecureSkipVerify: true };
export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Fields every endpoint kind shares (EndpointScrapeParams, EndpointAuth, EndpointRelabelings). */
function endpoint(job: ScrapeJob): Record<string, unknown> {
  return {
    path: job.path,
    scheme: job.scheme,
    interval: `${job.intervalSeconds}s`,
    scrapeTimeout: `${job.timeoutSeconds}s`,
    sampleLimit: job.sampleLimit,
    seriesLimit: job.seriesLimit,
    honorLabels: job.honorLabels,
    ...(job.honorTimestamps === undefined ? {} : { honorTimestamps: job.honorTimestamps }),
    ...(job.params ? { params: job.params } : {}),
    ...(job.kubeletAuth ? { tlsConfig: KUBELET_TLS, bearerTokenFile: SERVICE_ACCOUNT_TOKEN } : {}),
    relabelConfigs: targetRelabel(job),
    metricRelabelConfigs: metricRelabel(job),
  };
}

/** `spec` of the custom resource for a job. */
export function scrapeObjectSpec(job: ScrapeJob): Record<string, unknown> {
  const namespaceSelector = { matchNames: [...(job.namespaces ?? [])] };
  switch (job.kind) {
    case "VMNodeScrape":
      return { port: job.port, ...endpoint(job) };
    case "VMServiceScrape":
      return { selector: { matchLabels: job.selector ?? {} }, namespaceSelector, endpoints: [{ port: job.port, ...endpoint(job) }] };
    case "VMPodScrape":
      return { selector: { matchLabels: job.selector ?? {} }, namespaceSelector, podMetricsEndpoints: [{ port: job.port, ...endpoint(job) }] };
  }
}

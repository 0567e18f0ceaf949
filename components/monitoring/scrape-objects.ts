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

/**
 * The endpoint field that stops redirects. Its JSON name is snake_case in every scrape CRD (operator
 * v0.66.1 api/operator/v1beta1/common_scrapeparams.go EndpointScrapeParams: `json:"follow_redirects"`;
 * the CRDs' structural schema prunes a camelCase `followRedirects`). Unset, vmagent follows them
 * (VictoriaMetrics v1.133.0 lib/promscrape/config.go L915-918: redirects are denied only when
 * follow_redirects is false), so a target answering 302 would make vmagent call any URL it can
 * reach, e.g. vmselect's delete API, with vmagent's network identity.
 */
export const FOLLOW_REDIRECTS_FIELD = "follow_redirects";

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
    [FOLLOW_REDIRECTS_FIELD]: false,
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

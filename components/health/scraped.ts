/**
 * Whether a metric is scraped. Stand-in until the merge: the lead swaps this body for the monitoring
 * layer's allow-list (components/monitoring/metrics.ts). It lists the exporter families this layer
 * relies on: node_exporter, kube-state-metrics, cAdvisor, Kube-OVN pinger, vmagent's own and
 * per-target series, and the calibration textfile results.
 */
const FAMILIES = /^(node_|kube_|container_|pinger_|scrape_|vmagent_|lab_calibration_)|^up$/;

export function isScraped(metric: string): boolean {
  return FAMILIES.test(metric);
}

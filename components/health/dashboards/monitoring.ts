/** Monitoring self-health: ingestion, remote-write backlog and drops, targets up, series against limits. */
import { dashboard, panel, type Dashboard } from "./build";

export function monitoringDashboard(minAvailability: number): Dashboard {
  return dashboard({
    uid: "lab-monitoring-health",
    title: "Lab health: monitoring self-health",
    description: "Is the data complete? Ingestion, vmagent remote-write health, scrape availability, and series against their limits.",
    variables: [],
    rows: [
      {
        title: "Ingestion",
        panels: [
          panel("timeseries", "Samples ingested by vmagent", [{ expr: "sum by (type) (rate(vmagent_rows_inserted_total[$__rate_interval]))", legend: "{{type}}" }], { unit: "short" }),
          panel("timeseries", "Samples per scrape, by job", [{ expr: "sum by (job) (scrape_samples_post_metric_relabeling)", legend: "{{job}}" }], { unit: "short" }),
          panel("timeseries", "New series per scrape (churn), by job", [{ expr: "sum by (job) (scrape_series_added)", legend: "{{job}}" }], { unit: "short" }),
          panel("timeseries", "Remote-write backlog", [{ expr: "sum by (instance, url) (vmagent_remotewrite_pending_data_bytes)", legend: "{{instance}} {{url}}" }], { unit: "bytes" }),
          panel("timeseries", "Dropped: remote write, relabel limits, series limits", [
            { expr: "sum(rate(vmagent_remotewrite_packets_dropped_total[$__rate_interval]))", legend: "remote-write packets" },
            { expr: "sum(rate(vmagent_daily_series_limit_rows_dropped_total[$__rate_interval]))", legend: "daily series limit" },
            { expr: "sum(rate(vmagent_hourly_series_limit_rows_dropped_total[$__rate_interval]))", legend: "hourly series limit" },
            { expr: "sum by (job) (scrape_series_limit_samples_dropped)", legend: "{{job}} series_limit" },
          ], { min: 0 }),
        ],
      },
      {
        title: "Targets and limits",
        panels: [
          panel("table", `Targets below ${minAvailability * 100}% availability over the range`, [{ expr: `avg_over_time(up[$__range]) < ${minAvailability}`, instant: true }], { unit: "percentunit" }),
          panel("timeseries", "Share of targets up, by job", [{ expr: "avg by (job) (up)", legend: "{{job}}" }], { unit: "percentunit", min: 0, max: 1 }),
          panel("table", "Series against series_limit (top 20)", [{ expr: "topk(20, scrape_series_current / scrape_series_limit)", instant: true }], {
            unit: "percentunit",
            thresholds: [["green", null], ["orange", 0.8], ["red", 0.9]],
          }),
          panel("timeseries", "Scrape duration against timeout, worst per job", [{ expr: "max by (job) (scrape_duration_seconds / scrape_timeout_seconds)", legend: "{{job}}" }], { unit: "percentunit", min: 0 }),
        ],
      },
    ],
  });
}

/**
 * The allow-lists as one definition: suffixes by construction, anchored keep regexes, PromQL metric
 * extraction, and coverage of the comparability gates and the chart's default rules.
 */
import { describe, expect, it } from "vitest";
import { CHART_DASHBOARD_METRICS, CHART_RULE_METRICS, DISABLED_RULE_GROUPS } from "../../components/monitoring/chart-defaults";
import {
  ALLOW_LISTS,
  coldRelabelConfigs,
  coldSpecs,
  keepRegex,
  keeps,
  metricsInExpr,
  seriesPattern,
  sourcesOf,
  uncoveredMetrics,
  type MetricSpec,
} from "../../components/monitoring/metrics";

/** The comparability gates of monitoring-and-health.md §3.5 / §7.3, as the lab-health rules will query them. */
export const GATE_QUERIES: readonly string[] = [
  'abs(node_timex_offset_seconds) > 0.001 or min_over_time(node_timex_sync_status[5m]) == 0 or node_timex_maxerror_seconds >= 16',
  'node_cpu_scaling_governor{governor="performance"} == 0',
  "abs(avg by (instance) (node_cpu_scaling_frequency_hertz) / scalar(quantile(0.5, avg by (instance) (node_cpu_scaling_frequency_hertz))) - 1) > 0.05",
  "increase(node_cpu_core_throttles_total[1h]) + increase(node_cpu_package_throttles_total[1h]) > 0",
  'rate(node_cpu_seconds_total{mode="steal"}[5m]) > 0',
  "rate(node_pressure_cpu_waiting_seconds_total[5m]) > 0.1",
  'sum by (node) (rate(container_cpu_usage_seconds_total{namespace!~"exp-.*|kube-system|monitoring"}[5m])) > 0.25',
  "count by (node) (kube_pod_info)",
  "increase(node_edac_correctable_errors_total[1h]) > 0 or increase(node_edac_uncorrectable_errors_total[1h]) > 0",
  "increase(node_network_receive_errs_total[1h]) + increase(node_network_transmit_drop_total[1h]) + increase(node_network_receive_drop_total[1h]) > 0",
  'changes(node_network_speed_bytes[1h]) > 0 or increase(node_network_carrier_changes_total[1h]) > 0 or node_network_info{duplex!="full"}',
  "histogram_quantile(0.99, sum by (le, src_node_name, target_node_name) (rate(pinger_pod_ping_latency_ms_bucket[5m])))",
  "increase(pinger_pod_ping_lost_total[5m]) / increase(pinger_pod_ping_count_total[5m]) > 0",
  'count by (release) (node_uname_info) > 1 or count by (bios_version) (node_dmi_info) > 1 or count by (version) (node_os_info) > 1',
  'increase(kube_pod_container_status_restarts_total{namespace="kube-system",pod=~"kube-ovn.*|ovs-ovn.*"}[1h]) > 0',
  'kube_node_status_condition{condition="Ready",status="true"} == 0',
  "pinger_ovs_down > 0 or pinger_ovn_controller_down > 0 or pinger_inconsistent_port_binding > 0",
  "avg_over_time(up[1h]) < 0.99",
  "increase(vmagent_remotewrite_packets_dropped_total[1h]) > 0 or scrape_series_limit_samples_dropped > 0",
  "scrape_series_current / scrape_series_limit > 0.9",
  "lab_calibration_fio_read_bytes_per_second / lab:calibration_fio_read_bytes_per_second:median_4w < 0.9",
  "count by (image_id) (kube_pod_container_info{namespace=\"kube-system\"})",
  "node_hwmon_temp_celsius / node_hwmon_temp_crit_celsius > 0.9",
];

describe("series names by construction", () => {
  it("derives each kind's series", () => {
    expect(seriesPattern({ name: "libp2p_network_bytes", kind: "counter" })).toBe("libp2p_network_bytes(_total)?");
    expect(seriesPattern({ name: "dst_testnode_message_delay_ms", kind: "histogram" })).toBe("dst_testnode_message_delay_ms_(bucket|count|sum)");
    expect(seriesPattern({ name: "rpc_duration_seconds", kind: "summary" })).toBe("rpc_duration_seconds(_count|_sum)?");
    expect(seriesPattern({ name: "waku_", kind: "gauge", family: true })).toBe("waku_.*");
    expect(() => seriesPattern({ name: "bad-name", kind: "gauge" })).toThrow(/invalid metric name/);
  });

  it("keeps counter and histogram suffixes, including nim-metrics' doubled _total", () => {
    const specs: MetricSpec[] = [
      { name: "dst_testnode_completed_messages_total", kind: "counter" },
      { name: "dst_testnode_message_delay_ms", kind: "histogram" },
      { name: "node_load1", kind: "gauge" },
    ];
    for (const m of ["dst_testnode_completed_messages_total", "dst_testnode_completed_messages_total_total", "dst_testnode_message_delay_ms_bucket", "dst_testnode_message_delay_ms_count", "node_load1"]) {
      expect(keeps(specs, m), m).toBe(true);
    }
    // Anchored: no prefix or suffix leaks.
    for (const m of ["node_load15", "xnode_load1", "dst_testnode_message_delay_ms", "dst_testnode_message_delay_ms_created"]) {
      expect(keeps(specs, m), m).toBe(false);
    }
  });

  it("keeps the experiment metrics today's dashboards query", () => {
    for (const m of ["libp2p_pubsub_broadcast_ihave_total", "libp2p_gossipsub_duplicate_total", "libp2p_pubsub_medium_priority_queue_drops_total", "dst_testnode_message_delay_ms_bucket", "dst_testnode_completed_messages_total_total", "waku_relay_network_bytes_total", "libp2p_network_bytes_total", "network_bytes_in_total_port_60000_total", "rendezvousPeerFoundTotal"]) {
      expect(keeps(ALLOW_LISTS.experiment, m), m).toBe(true);
    }
    expect(keeps(ALLOW_LISTS.experiment, "go_goroutines")).toBe(false);
  });

  it("renders a stable regex whatever the declaration order", () => {
    const a = keepRegex(ALLOW_LISTS.kubelet);
    expect(keepRegex([...ALLOW_LISTS.kubelet].reverse())).toBe(a);
    expect(a.startsWith("(") && a.endsWith(")")).toBe(true);
  });

  it("declares valid names once per list", () => {
    for (const [id, specs] of Object.entries(ALLOW_LISTS)) {
      const names = specs.map((s) => s.name);
      expect(new Set(names).size, id).toBe(names.length);
      for (const s of specs) expect(() => seriesPattern(s)).not.toThrow();
    }
  });
});

describe("metricsInExpr", () => {
  it("finds selectors and skips functions, keywords, labels, strings and durations", () => {
    expect(
      metricsInExpr(
        'sum by (node, le) (rate(pinger_pod_ping_latency_ms_bucket{src_node_name=~"a|b", x="rate(y)"}[5m] offset 1h)) / on (node) group_left (instance) node_uname_info > bool 1e-3',
      ),
    ).toEqual(["node_uname_info", "pinger_pod_ping_latency_ms_bucket"]);
    expect(metricsInExpr('{__name__="node_load1", instance="x"} and ignoring(cpu) up')).toEqual(["node_load1", "up"]);
    expect(metricsInExpr("max_over_time(instance:node_cpu:rate5m[1h:5m]) - 5 * scalar(vector(1))")).toEqual(["instance:node_cpu:rate5m"]);
    expect(metricsInExpr("# a comment with node_load5\nnode_load1 unless absent(up)")).toEqual(["node_load1", "up"]);
  });
});

describe("coverage", () => {
  it("leaves no comparability gate without data in the hot tier, and none in the cold tier", () => {
    for (const query of GATE_QUERIES) {
      expect(uncoveredMetrics(query, "hot"), query).toEqual([]);
      expect(uncoveredMetrics(query, "cold"), query).toEqual([]);
    }
  });

  it("reports what no job keeps", () => {
    expect(uncoveredMetrics("rate(node_softnet_processed_total[5m]) + node_load1")).toEqual(["node_softnet_processed_total"]);
    expect(uncoveredMetrics("rate(node_disk_read_time_seconds_total[5m])", "cold")).toEqual(["node_disk_read_time_seconds_total"]);
    expect(sourcesOf("up")).toEqual(["scrape"]);
    expect(sourcesOf("node_timex_offset_seconds", "cold")).toEqual(["node-exporter"]);
  });

  it("keeps every metric of the chart's default rule groups that stay on", () => {
    for (const [group, metrics] of Object.entries(CHART_RULE_METRICS)) {
      expect(Object.keys(DISABLED_RULE_GROUPS)).not.toContain(group);
      expect(metrics.filter((m) => sourcesOf(m, "hot").length === 0), group).toEqual([]);
    }
  });

  it("keeps every metric the chart's default dashboards that stay on query", () => {
    for (const [dashboard, metrics] of Object.entries(CHART_DASHBOARD_METRICS)) {
      expect(metrics.filter((m) => sourcesOf(m, "hot").length === 0), dashboard).toEqual([]);
    }
  });

  it("sends only health and comparability series to the cold tier, never experiment series", () => {
    const [dropExperiment, keep] = coldRelabelConfigs();
    expect(dropExperiment).toEqual({ action: "drop", source_labels: ["tier"], regex: "experiment" });
    const cold = new RegExp(`^(?:${keep.regex})$`);
    expect(cold.test("node_timex_offset_seconds")).toBe(true);
    expect(cold.test("pinger_pod_ping_latency_ms_bucket")).toBe(true);
    expect(cold.test("lab_calibration_fio_read_bytes_per_second")).toBe(true);
    expect(cold.test("lab:comparability_gate:ok")).toBe(true);
    expect(cold.test("node_disk_read_time_seconds_total")).toBe(false);
    expect(cold.test("container_memory_cache")).toBe(false);
    expect(cold.test("libp2p_peers")).toBe(false);
    expect(coldSpecs().length).toBeLessThan(Object.values(ALLOW_LISTS).flat().length);
  });
});

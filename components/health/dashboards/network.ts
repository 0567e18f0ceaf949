/** Network: Kube-OVN pinger latency and loss matrices, iperf3 calibration vs baseline, physical NICs. */
import { RECORDED } from "../baselines";
import { re, selector } from "../promql/build";
import { dashboard, panel, type Dashboard } from "./build";
import { nodeVariable, onSelectedNodes, poolVariable } from "./common";

const src = `src_node_name=~"$node"`;
const nic = (metric: string, devices: string) => `sum by (node, device) (${onSelectedNodes(`rate(${selector(metric, [re("device", devices)])}[$__rate_interval])`)})`;

export function networkDashboard(nicDevices: string): Dashboard {
  return dashboard({
    uid: "lab-network",
    title: "Lab health: network",
    description: "Pod-to-pod latency and loss between every pair of nodes (Kube-OVN pinger), iperf3 calibration against its baseline, and the physical NICs.",
    variables: [poolVariable, nodeVariable],
    rows: [
      {
        title: "Pinger (pod to pod, over the selected range)",
        panels: [
          panel("table", "p99 latency matrix (ms), source rows x target columns", [
            { expr: `histogram_quantile(0.99, sum by (le, src_node_name, target_node_name) (increase(pinger_pod_ping_latency_ms_bucket{${src}}[$__range])))`, instant: true },
          ], { unit: "ms", matrix: { rows: "src_node_name", columns: "target_node_name" }, thresholds: [["green", null], ["orange", 1], ["red", 5]] }),
          panel("table", "Loss matrix, source rows x target columns", [
            {
              expr: `sum by (src_node_name, target_node_name) (increase(pinger_pod_ping_lost_total{${src}}[$__range])) / sum by (src_node_name, target_node_name) (increase(pinger_pod_ping_count_total{${src}}[$__range]))`,
              instant: true,
            },
          ], { unit: "percentunit", matrix: { rows: "src_node_name", columns: "target_node_name" }, thresholds: [["green", null], ["red", 0.000001]] }),
          panel("timeseries", "p99 latency per source node vs baseline", [
            { expr: `histogram_quantile(0.99, sum by (le, src_node_name) (rate(pinger_pod_ping_latency_ms_bucket{${src}}[$__rate_interval])))`, legend: "{{src_node_name}}" },
            { expr: `${RECORDED.pingerBaseline}{node=~"$node"}`, legend: "{{node}} baseline" },
          ], { unit: "ms", width: 24 }),
        ],
      },
      {
        title: "iperf3 calibration (host network, rotating pairs)",
        panels: [
          panel("timeseries", "Throughput node -> peer", [
            { expr: onSelectedNodes("lab_calibration_network_throughput_bytes_per_second"), legend: "{{node}} -> {{peer}}" },
            { expr: onSelectedNodes(`${RECORDED.calibrationBaseline}{benchmark="network_throughput"}`), legend: "{{node}} baseline (any peer)" },
          ], { unit: "Bps", width: 24 }),
          panel("timeseries", "TCP retransmits per test", [{ expr: onSelectedNodes("lab_calibration_network_retransmits"), legend: "{{node}} -> {{peer}}" }], { min: 0 }),
        ],
      },
      {
        title: "Physical NICs",
        panels: [
          panel("timeseries", "Errors", [
            { expr: nic("node_network_receive_errs_total", nicDevices), legend: "{{node}} {{device}} rx" },
            { expr: nic("node_network_transmit_errs_total", nicDevices), legend: "{{node}} {{device}} tx" },
          ], { unit: "pps", min: 0 }),
          panel("timeseries", "Drops", [
            { expr: nic("node_network_receive_drop_total", nicDevices), legend: "{{node}} {{device}} rx" },
            { expr: nic("node_network_transmit_drop_total", nicDevices), legend: "{{node}} {{device}} tx" },
          ], { unit: "pps", min: 0 }),
          panel("timeseries", "Link speed", [{ expr: `max by (node, device) (${onSelectedNodes(selector("node_network_speed_bytes", [re("device", nicDevices)]))})`, legend: "{{node}} {{device}}" }], { unit: "Bps" }),
          panel("timeseries", "Traffic", [
            { expr: nic("node_network_receive_bytes_total", nicDevices), legend: "{{node}} {{device}} rx" },
            { expr: nic("node_network_transmit_bytes_total", nicDevices), legend: "{{node}} {{device}} tx" },
          ], { unit: "Bps" }),
        ],
      },
    ],
  });
}

/** Node hardware: CPU, memory, frequency, throttling, temperatures, clock, disks; per selected node. */
import { dashboard, panel, type Dashboard } from "./build";
import { nodeVariable, onSelectedNodes, poolVariable } from "./common";

const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;

export function nodeHardwareDashboard(): Dashboard {
  return dashboard({
    uid: "lab-node-hardware",
    title: "Lab health: node hardware",
    description: "Per-node hardware signals behind the CPU, clock and node-health gates.",
    variables: [poolVariable, nodeVariable],
    rows: [
      {
        title: "CPU",
        panels: [
          panel("timeseries", "CPU busy", [{ expr: `1 - avg by (node) (${onSelectedNodes(rate('node_cpu_seconds_total{mode="idle"}'))})`, legend: "{{node}}" }], { unit: "percentunit", min: 0, max: 1 }),
          panel("timeseries", "CPU steal (cores)", [{ expr: `sum by (node) (${onSelectedNodes(rate('node_cpu_seconds_total{mode="steal"}'))})`, legend: "{{node}}" }], { min: 0 }),
          panel("timeseries", "Mean CPU frequency", [{ expr: `avg by (node) (${onSelectedNodes("node_cpu_scaling_frequency_hertz")})`, legend: "{{node}}" }], { unit: "hertz" }),
          panel("timeseries", "Throttle events", [
            { expr: `sum by (node) (${onSelectedNodes(rate("node_cpu_core_throttles_total"))})`, legend: "{{node}} core" },
            { expr: `sum by (node) (${onSelectedNodes(rate("node_cpu_package_throttles_total"))})`, legend: "{{node}} package" },
          ], { unit: "ops", min: 0 }),
          panel("timeseries", "Load per core", [
            { expr: `max by (node) (${onSelectedNodes("node_load1")}) / count by (node) (${onSelectedNodes('node_cpu_seconds_total{mode="idle"}')})`, legend: "{{node}}" },
          ], { min: 0, thresholds: [["green", null], ["red", 2]] }),
          panel("timeseries", "CPU pressure (PSI waiting)", [{ expr: `max by (node) (${onSelectedNodes(rate("node_pressure_cpu_waiting_seconds_total"))})`, legend: "{{node}}" }], { unit: "percentunit", min: 0 }),
        ],
      },
      {
        title: "Memory, temperature, clock",
        panels: [
          panel("timeseries", "Memory used", [
            { expr: `1 - max by (node) (${onSelectedNodes("node_memory_MemAvailable_bytes")}) / max by (node) (${onSelectedNodes("node_memory_MemTotal_bytes")})`, legend: "{{node}}" },
          ], { unit: "percentunit", min: 0, max: 1 }),
          panel("timeseries", "EDAC errors", [
            { expr: `sum by (node) (${onSelectedNodes("increase(node_edac_correctable_errors_total[$__rate_interval])")})`, legend: "{{node}} correctable" },
            { expr: `sum by (node) (${onSelectedNodes("increase(node_edac_uncorrectable_errors_total[$__rate_interval])")})`, legend: "{{node}} uncorrectable" },
          ], { min: 0 }),
          panel("timeseries", "Hottest sensor", [{ expr: `max by (node) (${onSelectedNodes("node_hwmon_temp_celsius")})`, legend: "{{node}}" }], { unit: "celsius" }),
          panel("timeseries", "Clock offset", [{ expr: `max by (node) (${onSelectedNodes("node_timex_offset_seconds")})`, legend: "{{node}}" }], {
            unit: "s",
            thresholds: [["green", null], ["red", 0.001]],
          }),
        ],
      },
      {
        title: "Disks",
        panels: [
          panel("timeseries", "Disk busy (io time)", [{ expr: `max by (node, device) (${onSelectedNodes(rate("node_disk_io_time_seconds_total"))})`, legend: "{{node}} {{device}}" }], { unit: "percentunit", min: 0 }),
          panel("timeseries", "Read latency", [
            { expr: `max by (node, device) (${onSelectedNodes(`(${rate("node_disk_read_time_seconds_total")} / ${rate("node_disk_reads_completed_total")})`)})`, legend: "{{node}} {{device}}" },
          ], { unit: "s", min: 0 }),
        ],
      },
    ],
  });
}

/** Team usage against quota: CPU, memory and pods per team namespace, and the ResourceQuota use. */
import { customVariable, dashboard, panel, type Dashboard } from "./build";

const ns = `namespace=~"$team"`;

export function teamUsageDashboard(teams: readonly string[]): Dashboard {
  return dashboard({
    uid: "lab-team-usage",
    title: "Lab health: team usage vs quota",
    description: "What each team uses of its ResourceQuota, and its actual CPU and memory.",
    variables: [customVariable("team", "Team", teams)],
    rows: [
      {
        title: "Quota",
        panels: [
          panel("table", "Quota used (used / hard)", [
            { expr: `max by (namespace, resource) (kube_resourcequota{${ns},type="used"}) / max by (namespace, resource) (kube_resourcequota{${ns},type="hard"})`, instant: true },
          ], { width: 24, unit: "percentunit", matrix: { rows: "namespace", columns: "resource" }, thresholds: [["green", null], ["orange", 0.8], ["red", 0.95]] }),
        ],
      },
      {
        title: "Usage",
        panels: [
          panel("timeseries", "CPU used vs CPU quota", [
            { expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{${ns},container!=""}[$__rate_interval]))`, legend: "{{namespace}} used" },
            { expr: `max by (namespace) (kube_resourcequota{${ns},type="hard",resource=~"requests.cpu|cpu|limits.cpu"})`, legend: "{{namespace}} quota" },
          ], { unit: "short", min: 0 }),
          panel("timeseries", "Memory working set vs memory quota", [
            { expr: `sum by (namespace) (container_memory_working_set_bytes{${ns},container!=""})`, legend: "{{namespace}} used" },
            { expr: `max by (namespace) (kube_resourcequota{${ns},type="hard",resource=~"requests.memory|memory|limits.memory"})`, legend: "{{namespace}} quota" },
          ], { unit: "bytes", min: 0 }),
          panel("timeseries", "Pods running", [{ expr: `count by (namespace) (kube_pod_status_phase{${ns},phase="Running"} == 1)`, legend: "{{namespace}}" }], { min: 0 }),
          panel("timeseries", "Network received", [{ expr: `sum by (namespace) (rate(container_network_receive_bytes_total{${ns}}[$__rate_interval]))`, legend: "{{namespace}}" }], { unit: "Bps" }),
        ],
      },
    ],
  });
}

/** Human-readable values and series names for the stack report; the data stays in base units. */
import type { MeasurementDef } from "./measurements";

const SI = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
] as const;

function si(value: number, unit: string): string {
  for (const [factor, prefix] of SI) if (Math.abs(value) >= factor) return `${(value / factor).toPrecision(3)} ${prefix}${unit}`;
  return `${value.toPrecision(3)} ${unit}`;
}

/** A value in its measurement's display unit: bytes/s with SI prefixes, seconds as ms or µs, ratios. */
export function formatValue(def: MeasurementDef, value: number): string {
  if (!Number.isFinite(value)) return "–";
  switch (def.unit) {
    case "B/s":
      return si(value, "B/s");
    case "packets/s":
      return si(value, "packets/s");
    case "connections/s":
      return si(value, "conn/s");
    case "s":
      if (Math.abs(value) >= 1) return `${value.toPrecision(3)} s`;
      if (Math.abs(value) >= 1e-3) return `${(value * 1e3).toPrecision(3)} ms`;
      return `${(value * 1e6).toPrecision(3)} µs`;
    case "ratio":
      return def.metric === "lab_bench_pod_network_overhead_ratio" ? `${(value * 100).toFixed(1)} %` : value.toFixed(3);
  }
}

const ORDER = ["network", "placement", "streams", "measurement", "scheduler", "quantile", "pods", "peers", "egress_mbps"];

function describeLabel(key: string, value: string, labels: Readonly<Record<string, string>>): string | undefined {
  switch (key) {
    case "network":
      return `${value} network`;
    case "placement":
      return value.replace("_", "-");
    case "streams":
      return `${value} stream${value === "1" ? "" : "s"}`;
    case "quantile":
      return `p${Math.round(Number(value) * 100)}`;
    case "pods":
      return `${value} pods × ${labels.peers ?? "?"} peers`;
    case "peers":
      return undefined;
    case "egress_mbps":
      return `limit ${value} Mbit/s`;
    case "measurement":
      return value.replace(/_/g, " ");
    default:
      return value;
  }
}

/** "TCP throughput · pod network, cross-node, 8 streams". */
export function seriesTitle(def: MeasurementDef, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort((a, b) => (ORDER.indexOf(a) + 100 * Number(!ORDER.includes(a))) - (ORDER.indexOf(b) + 100 * Number(!ORDER.includes(b))) || a.localeCompare(b));
  const parts = keys.map((k) => describeLabel(k, labels[k], labels)).filter((p): p is string => p !== undefined);
  return parts.length === 0 ? def.title : `${def.title} · ${parts.join(", ")}`;
}

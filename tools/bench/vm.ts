/**
 * Benchmark samples in and out of VictoriaMetrics: `/api/v1/import` (JSON lines, one series per
 * line) and `/api/v1/export` (the same format back), documented in VictoriaMetrics' "How to import
 * data in JSON line format" and "How to export data in JSON line format". `baseUrl` is what precedes
 * `/api/v1/...`: http://vmsingle:8428, or for a cluster http://vminsert:8480/insert/0/prometheus to
 * import and http://vmselect:8481/select/0/prometheus to export.
 */
import { MEASUREMENT_BY_METRIC, type Sample } from "./measurements";

/** A run name: a valid Kubernetes label value, and safe inside a label matcher without escaping. */
export const RUN_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
/** Prometheus label names (data model docs), minus reserved `__` names. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the suite sets itself; stack labels may not override them. */
export const RESERVED_LABELS = ["run", "rep", "session", "nodes", "network", "placement", "streams", "quantile", "measurement", "pods", "peers", "scheduler", "egress_mbps", "job", "instance"];

export class VmError extends Error {}

/** Problems with stack labels (`--label k=v`), each naming the label; empty when fine. */
export function stackLabelProblems(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([k, v]) => {
    if (!LABEL_NAME.test(k) || k.startsWith("__")) return [`--label ${k}: not a label name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)`];
    if (RESERVED_LABELS.includes(k)) return [`--label ${k}: reserved for the suite's own labels (${RESERVED_LABELS.join(", ")})`];
    if (v.length === 0 || v.length > 256) return [`--label ${k}: value must be 1 to 256 characters`];
    return [];
  });
}

/** The JSON lines of a run's samples: one line per sample with its full label set. */
export function importLines(run: string, stackLabels: Readonly<Record<string, string>>, samples: readonly Sample[]): string[] {
  return samples.map((s) =>
    JSON.stringify({ metric: { __name__: s.metric, ...stackLabels, ...s.labels, run, rep: String(s.rep) }, values: [s.value], timestamps: [s.timestampMs] }),
  );
}

async function request(url: string, init: RequestInit): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new VmError(`cannot reach ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new VmError(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function importSamples(baseUrl: string, run: string, stackLabels: Readonly<Record<string, string>>, samples: readonly Sample[]): Promise<void> {
  const root = baseUrl.replace(/\/+$/, "");
  if (samples.length === 0) return;
  await request(`${root}/api/v1/import`, { method: "POST", body: `${importLines(run, stackLabels, samples).join("\n")}\n` });
}

export interface ExportedRun {
  readonly run: string;
  /** Stack labels found on the run's series (those not set by the suite). */
  readonly stackLabels: Record<string, string>;
  readonly samples: Sample[];
}

/** Every `lab_bench_*` sample of `run`, with its stack labels. */
export async function exportRun(baseUrl: string, run: string): Promise<ExportedRun> {
  if (!RUN_NAME.test(run)) throw new VmError(`run "${run}" is not a run name (${RUN_NAME.source})`);
  const root = baseUrl.replace(/\/+$/, "");
  const match = `{__name__=~"lab_bench_.*",run="${run}"}`;
  const body = new URLSearchParams({ "match[]": match, start: "0" });
  const text = await request(`${root}/api/v1/export`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const samples: Sample[] = [];
  const stackLabels: Record<string, string> = {};
  for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
    const series = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
    const { __name__: metric, run: _run, rep, ...rest } = series.metric;
    if (!MEASUREMENT_BY_METRIC.has(metric)) continue;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) {
      if (RESERVED_LABELS.includes(k)) labels[k] = v;
      else stackLabels[k] = v;
    }
    series.values.forEach((value, i) => samples.push({ metric, labels, rep: Number(rep), value, timestampMs: series.timestamps[i] }));
  }
  return { run, stackLabels, samples };
}

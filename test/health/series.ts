/**
 * Input series for `promtool test rules`, labelled the way the VictoriaMetrics operator's scrape
 * labels them before the stack's own relabeling: every target gets `job`, `instance` (host:port),
 * `namespace`, `pod`, `container`, `service` and `endpoint` (operator v0.66.1 servicescrape.go), and
 * the stack adds `tier` and `node`. The stack drops pod/container/service/endpoint on platform
 * targets (scrape-jobs.ts), but the rules must not depend on it, so the fixtures keep them: a
 * DaemonSet rollout then really renames the series mid-window.
 */

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export { encode, type Samples } from "../../tools/health-bench/promtool-series";
import { encode, type Samples } from "../../tools/health-bench/promtool-series";

export const constant = (value: number, n: number): Samples => Array.from({ length: n }, () => value);
export const counter = (step: number, n: number, start = 0): Samples => Array.from({ length: n }, (_, i) => start + step * i);
/** Samples `from` (inclusive) to `to` (exclusive) replaced by `f(i)`. */
export function during(base: Samples, from: number, to: number, f: (i: number, old: number | undefined) => number | undefined): Samples {
  return base.map((v, i) => (i >= from && i < to ? f(i, v) : v));
}
/** Only every `k`th sample (a slower scrape interval than the scenario's step). */
export function every(k: number, base: Samples): Samples {
  return base.map((v, i) => (i % k === 0 ? v : undefined));
}

export function labelText(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(",")}}`;
}

export function series(metric: string, labels: Readonly<Record<string, string>>, samples: Samples): InputSeries {
  return { series: labelText(metric, labels), values: encode(samples) };
}

/**
 * A series split at sample `at` between two targets that differ in their pod label (a DaemonSet
 * rollout): the old pod's samples end, the new pod's begin at the next scrape.
 */
export function rolledOut(metric: string, labels: Readonly<Record<string, string>>, samples: Samples, at: number): InputSeries[] {
  const pod = labels.pod ?? "pod";
  return [
    series(metric, labels, samples.map((v, i) => (i < at ? v : undefined))),
    series(metric, { ...labels, pod: `${pod.replace(/-[a-z0-9]{5}$/, "")}-r0ll8` }, samples.map((v, i) => (i >= at ? v : undefined))),
  ];
}

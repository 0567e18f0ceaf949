/**
 * The stack report's measurements file: JSON lines, one repetition of one series each, so that a
 * comparison can be re-analysed and checked without a cluster (docs/stack-benchmarks.md, "The
 * measurements file"). Every line is an object with exactly these keys:
 *
 *   run      string  the run (one stack), a run name (RUN_NAME)
 *   session  string (1-128 printable characters) or non-negative integer: one uninterrupted run of
 *            the suite on that stack; unique within the run
 *   metric   string  a `lab_bench_*` series of the catalogue (tools/bench/measurements.ts)
 *   labels   object  the measurement labels (network, placement, quantile, ...), string values
 *   value    number  finite, in the metric's base unit
 *   unit     string  exactly the catalogue's unit of the metric
 *   time     string  RFC 3339 date-time when the repetition was measured (sub-second allowed)
 *   nodes    array   names of the nodes the repetition ran on (strings)
 *
 * A line that breaks any of this is an error that names the line (1-based) and the key; nothing is
 * analysed then. JSON has no NaN or Infinity; a number literal that overflows (1e999) parses to
 * Infinity and is refused like any non-finite value.
 */
import { MEASUREMENT_BY_METRIC, seriesKey } from "./measurements";
import { RUN_NAME } from "./vm";

export interface Measurement {
  readonly run: string;
  readonly session: string;
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: string;
  /** Unix milliseconds. */
  readonly timeMs: number;
  readonly nodes: readonly string[];
  /** 1-based line in the file it came from (0 when made in memory). */
  readonly line: number;
}

export class MeasurementsFileError extends Error {}

export const KEYS = ["run", "session", "metric", "labels", "value", "unit", "time", "nodes"] as const;

/** RFC 3339 date-time (section 5.6): full-date "T" full-time, with a zone (Z or ±hh:mm). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Any 1-128 printable characters: a session name is an identity, shown escaped, never a path or a matcher. */
const SESSION = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** One line to a Measurement, or a problem "key: what is wrong". */
function parseObject(obj: Record<string, unknown>, line: number): Measurement {
  const fail = (key: string, why: string): never => {
    throw new MeasurementsFileError(`line ${line}: key "${key}": ${why}`);
  };
  for (const k of Object.keys(obj)) if (!(KEYS as readonly string[]).includes(k)) fail(k, `unknown key (the keys are ${KEYS.join(", ")})`);
  for (const k of KEYS) if (!(k in obj)) fail(k, "missing");
  const { run, session, metric, labels, value, unit, time, nodes } = obj;
  if (typeof run !== "string" || !RUN_NAME.test(run)) fail("run", `${JSON.stringify(run)} is not a run name (letters, digits, '.', '_', '-'; at most 63)`);
  const sessionText = typeof session === "number" && Number.isSafeInteger(session) && session >= 0 ? String(session) : session;
  if (typeof sessionText !== "string" || !SESSION.test(sessionText)) fail("session", `${JSON.stringify(session)} is not a session name (a non-negative integer or a string of 1-128 printable characters)`);
  const def = typeof metric === "string" ? MEASUREMENT_BY_METRIC.get(metric) : undefined;
  if (!def) fail("metric", `${JSON.stringify(metric)} is not a lab_bench_* measurement of the catalogue`);
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) fail("labels", "must be an object of string values");
  for (const [k, v] of Object.entries(labels as object)) {
    if (!LABEL_NAME.test(k) || k.startsWith("__")) fail("labels", `${JSON.stringify(k)} is not a label name`);
    if (k === "run" || k === "rep" || k === "session") fail("labels", `"${k}" is a key of the line, not a label`);
    if (typeof v !== "string" || v.length === 0) fail("labels", `"${k}" must be a non-empty string`);
  }
  if (typeof value !== "number") fail("value", `${JSON.stringify(value)} is not a number`);
  if (!Number.isFinite(value)) fail("value", `${value} is not finite (NaN and ±Infinity are refused, never dropped)`);
  if (unit !== def!.unit) fail("unit", `${JSON.stringify(unit)}: ${def!.metric} is in "${def!.unit}"`);
  const timeMs = typeof time === "string" && RFC3339.test(time) ? Date.parse(time) : Number.NaN;
  if (!Number.isFinite(timeMs)) fail("time", `${JSON.stringify(time)} is not an RFC 3339 date-time (e.g. 2026-11-20T10:00:00.250Z)`);
  if (!Array.isArray(nodes) || nodes.some((n) => typeof n !== "string" || n.length === 0)) fail("nodes", "must be an array of node names");
  return { run: run as string, session: sessionText as string, metric: def!.metric, labels: { ...(labels as Record<string, string>) }, value: value as number, unit: unit as string, timeMs, nodes: [...(nodes as string[])].sort(), line };
}

/** Every measurement of a JSON-lines text; throws MeasurementsFileError naming the first bad line and key. Blank lines are skipped. */
export function parseMeasurements(text: string): Measurement[] {
  const out: Measurement[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (error) {
      throw new MeasurementsFileError(`line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new MeasurementsFileError(`line ${i + 1}: not a JSON object`);
    out.push(parseObject(obj as Record<string, unknown>, i + 1));
  }
  if (out.length === 0) throw new MeasurementsFileError("no measurements (the file is empty)");
  return out;
}

/** One measurement as a line of the file (the inverse of parseMeasurements). */
export function measurementLine(m: Omit<Measurement, "line" | "timeMs"> & { readonly timeMs: number }): string {
  return JSON.stringify({ run: m.run, session: m.session, metric: m.metric, labels: m.labels, value: m.value, unit: m.unit, time: new Date(m.timeMs).toISOString(), nodes: m.nodes });
}

const keys = new WeakMap<Measurement, string>();

/** seriesKey of a measurement, computed once per measurement (the report asks for it many times). */
export function measurementKey(m: Measurement): string {
  let key = keys.get(m);
  if (key === undefined) {
    key = seriesKey(m.metric, m.labels);
    keys.set(m, key);
  }
  return key;
}

/**
 * The measurements file (docs/stack-benchmarks.md): every line has exactly the documented keys; a bad
 * line is an error naming the line and the key (never dropped); NaN and ±Infinity are refused; a
 * written line parses back to the same measurement.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { measurementLine, MeasurementsFileError, parseMeasurements } from "../../tools/bench/measurements-file";

const good = { run: "ovn-a", session: "3", metric: "lab_bench_pod_start_latency_seconds", labels: { scheduler: "default-scheduler", quantile: "0.5" }, value: 2.125, unit: "s", time: "2026-11-20T10:00:01.250Z", nodes: ["node-02", "node-03"] };
const line = (changes: Record<string, unknown>, drop?: string) => {
  const obj: Record<string, unknown> = { ...good, ...changes };
  if (drop) delete obj[drop];
  return JSON.stringify(obj);
};
const error = (text: string) => {
  try {
    parseMeasurements(text);
  } catch (e) {
    expect(e).toBeInstanceOf(MeasurementsFileError);
    return (e as Error).message;
  }
  throw new Error("accepted");
};

describe("measurements file", () => {
  it("reads the documented keys, with sub-second RFC 3339 times and integer sessions", () => {
    const [m] = parseMeasurements(`${line({ session: 3, time: "2026-11-20T11:00:01.250+01:00" })}\n\n`);
    expect(m).toMatchObject({ run: "ovn-a", session: "3", value: 2.125, unit: "s", timeMs: Date.parse("2026-11-20T10:00:01.250Z"), nodes: ["node-02", "node-03"], line: 1 });
  });

  it("names the line and the key of every kind of bad input", () => {
    const ok = line({});
    expect(error(`${ok}\n${line({}, "unit")}`)).toBe('line 2: key "unit": missing');
    expect(error(`${ok}\n${ok}\n${line({ rep: 1 })}`)).toMatch(/^line 3: key "rep": unknown key/);
    expect(error(line({ value: "NaN" }))).toMatch(/^line 1: key "value": "NaN" is not a number/);
    expect(error(ok.replace('"value":2.125', '"value":1e999'))).toMatch(/^line 1: key "value": Infinity is not finite/);
    expect(error(ok.replace('"value":2.125', '"value":-1e999'))).toMatch(/^line 1: key "value": -Infinity is not finite/);
    expect(error(line({ value: null }))).toMatch(/^line 1: key "value": null is not a number/);
    expect(error(line({ time: "2026-11-20 10:00:00" }))).toMatch(/^line 1: key "time": .* not an RFC 3339/);
    expect(error(line({ time: 1763632800000 }))).toMatch(/^line 1: key "time"/);
    expect(error(line({ unit: "ms" }))).toMatch(/^line 1: key "unit": "ms": lab_bench_pod_start_latency_seconds is in "s"/);
    expect(error(line({ metric: "lab_bench_nope" }))).toMatch(/^line 1: key "metric"/);
    expect(error(line({ run: 'x"}' }))).toMatch(/^line 1: key "run"/);
    expect(error(line({ session: "" }))).toMatch(/^line 1: key "session"/);
    expect(error(line({ labels: ["a"] }))).toMatch(/^line 1: key "labels"/);
    expect(error(line({ labels: { quantile: 0.5 } }))).toMatch(/^line 1: key "labels": "quantile" must be a non-empty string/);
    expect(error(line({ labels: { session: "1" } }))).toMatch(/^line 1: key "labels": "session" is a key of the line/);
    expect(error(line({ nodes: "node-02" }))).toMatch(/^line 1: key "nodes"/);
    expect(error(`${ok}\n{"run": `)).toMatch(/^line 2: not JSON/);
    expect(error("[1]")).toBe("line 1: not a JSON object");
    expect(error("\n")).toMatch(/no measurements/);
  });

  it("a written line parses back to the same measurement (any finite value, any millisecond time)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.integer({ min: 0, max: 4e12 }), fc.string({ minLength: 1, maxLength: 20 }), (value, timeMs, label) => {
        const m = { run: "r1", session: "s.1", metric: "lab_bench_qos_accuracy_ratio", labels: { egress_mbps: label }, value, unit: "ratio", timeMs, nodes: ["n1"] };
        const [back] = parseMeasurements(measurementLine(m));
        // JSON writes -0 as 0: the same value.
        expect(back).toEqual({ ...m, value: m.value + 0, line: 1 });
      }),
    );
  });
});

/** The PromQL metric-name extractor: what is and is not a metric name. */
import { describe, expect, it } from "vitest";
import { extractMetricNames, tokenize } from "../../components/shared/promql-metric-names";

const names = (expr: string) => extractMetricNames(expr).names;

describe("extractMetricNames", () => {
  it("finds bare selectors and ignores label names, values and functions", () => {
    expect(names('rate(node_cpu_seconds_total{mode="steal",instance=~"a.*"}[5m])')).toEqual(["node_cpu_seconds_total"]);
  });

  it("ignores grouping lists after by, without, on, ignoring and group_left/right", () => {
    expect(names("sum by (node, pool) (a) * on (instance) group_left (node, pool) b / ignoring (x) c")).toEqual(["a", "b", "c"]);
    expect(names("max without (cpu) (x) and on () y")).toEqual(["x", "y"]);
  });

  it("treats an aggregation followed by its grouping clause as an operator", () => {
    expect(names("max by (node) (foo) + count without (a) (bar) + quantile by (pool) (0.5, baz)")).toEqual(["bar", "baz", "foo"]);
  });

  it("keeps recorded names with colons and reads __name__ matchers", () => {
    expect(names('lab:comparable{scope="node"} or {__name__="up"}')).toEqual(["lab:comparable", "up"]);
    expect(extractMetricNames('{__name__=~"node_network_.*_total"}').patterns).toEqual(["node_network_.*_total"]);
  });

  it("skips strings (label_replace arguments), numbers, durations, offsets, @ and subqueries", () => {
    const expr = 'label_replace(max_over_time(x[1h] offset 1d), "node", "$1", "nodename", "(.+)") > bool 1e-3 or y @ 1700000000 or max_over_time(z[5m:1m])';
    expect(names(expr)).toEqual(["x", "y", "z"]);
    expect(names("a @ start() + b @ end()")).toEqual(["a", "b"]);
  });

  it("does not mistake keywords for metrics", () => {
    expect(names("a unless on (n) b and c or d == bool 0")).toEqual(["a", "b", "c", "d"]);
  });

  it("tokenizes strings with escapes and rejects unknown characters", () => {
    expect(tokenize('x{a="q\\"uote"}').map((t) => t.text)).toEqual(["x", "{", "a", "=", 'q\\"uote', "}"]);
    expect(() => tokenize("x ; y")).toThrow(/unexpected ";"/);
    expect(() => tokenize('x{a="open}')).toThrow(/unterminated string/);
  });
});

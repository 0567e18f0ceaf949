/** Turns rule scenarios into `promtool test rules` files and runs promtool on them. */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { alertRules } from "../../components/health/alerts";
import type { HealthContext } from "../../components/health/context";
import { GATE_NAMES } from "../../components/health/gates";
import { SERIES } from "../../components/health/rules";
import { NODES, type Scenario } from "./rule-scenarios";

function labelText(metric: string, labels: Record<string, string>): string {
  const body = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(",");
  return `${metric}{${body}}`;
}

/** `{{ $labels.x }}` substituted the way Prometheus renders these simple templates. */
export function renderTemplate(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? "");
}

function gateExpectations(scenario: Scenario) {
  const failing = scenario.failing;
  if (failing === null) {
    return [SERIES.gateOk, SERIES.comparable].map((m) => ({ expr: m, eval_time: scenario.evalTime, exp_samples: [] }));
  }
  const ok = (node: string, gate: string) => ((failing as Record<string, readonly string[] | undefined>)[gate]?.includes(node) ? 0 : 1);
  const nodes = scenario.nodes ?? NODES;
  const perGate = nodes.flatMap(({ node, pool }) =>
    GATE_NAMES.map((gate) => ({ labels: labelText(SERIES.gateOk, { gate, node, pool, scope: "node" }), value: ok(node, gate) })),
  );
  const failed = perGate.filter((s) => s.value === 0).map((s) => ({ labels: s.labels.replace(SERIES.gateOk, SERIES.gateFailed), value: 1 }));
  const nodeOk = (node: string) => Math.min(...GATE_NAMES.map((g) => ok(node, g)));
  const pools = [...new Set(nodes.map((n) => n.pool))];
  return [
    { expr: `${SERIES.gateOk}{scope="node"}`, eval_time: scenario.evalTime, exp_samples: perGate },
    { expr: SERIES.gateFailed, eval_time: scenario.evalTime, exp_samples: failed },
    {
      expr: `${SERIES.comparable}{scope="node"}`,
      eval_time: scenario.evalTime,
      exp_samples: nodes.map(({ node, pool }) => ({ labels: labelText(SERIES.comparable, { node, pool, scope: "node" }), value: nodeOk(node) })),
    },
    {
      expr: `${SERIES.comparable}{scope="pool"}`,
      eval_time: scenario.evalTime,
      exp_samples: pools.map((pool) => ({
        labels: labelText(SERIES.comparable, { pool, scope: "pool" }),
        value: Math.min(...nodes.filter((n) => n.pool === pool).map((n) => nodeOk(n.node))),
      })),
    },
  ];
}

/** Every alert of the rule set is checked: the expected ones fire with exactly these labels, all others stay silent. */
function alertExpectations(ctx: HealthContext, scenario: Scenario) {
  return alertRules(ctx).map((rule) => {
    const expected = scenario.alerts.find((a) => a.alert === rule.alert);
    return {
      eval_time: scenario.evalTime,
      alertname: rule.alert,
      exp_alerts: (expected?.instances ?? []).map((instance) => ({
        exp_labels: { ...instance, ...rule.labels },
        exp_annotations: { summary: renderTemplate(rule.annotations.summary, instance), description: renderTemplate(rule.annotations.description, instance) },
      })),
    };
  });
}

export function scenarioTestFile(ctx: HealthContext, scenario: Scenario, rulesFile: string, evaluationInterval: string): string {
  return yaml.dump(
    {
      rule_files: [rulesFile],
      evaluation_interval: evaluationInterval,
      tests: [
        {
          interval: scenario.interval,
          input_series: scenario.series,
          promql_expr_test: gateExpectations(scenario),
          alert_rule_test: alertExpectations(ctx, scenario),
        },
      ],
    },
    { lineWidth: -1, noRefs: true },
  );
}

export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
  /** Per test file: "SUCCESS" or the failure text. */
  readonly perFile: Map<string, string>;
}

/** Runs promtool with stdout and stderr into one file, so each failure stays under its file's header. */
export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  const log = path.join(cwd, `promtool-${process.pid}-${Date.now()}.log`);
  const fd = fs.openSync(log, "w");
  const result = spawnSync("promtool", args, { cwd, stdio: ["ignore", fd, fd], timeout: 300_000 });
  fs.closeSync(fd);
  const output = fs.readFileSync(log, "utf8");
  fs.rmSync(log);
  return { status: result.status, output, perFile: parsePerFile(output) };
}

/** `promtool test rules` over many files in `jobs` parallel processes (one per core), results merged. */
export async function promtoolTestParallel(files: readonly string[], cwd: string, jobs = 2): Promise<PromtoolResult> {
  const chunks = Array.from({ length: jobs }, (_, j) => files.filter((_, i) => i % jobs === j)).filter((c) => c.length > 0);
  const results = await Promise.all(
    chunks.map(
      (chunk, j) =>
        new Promise<PromtoolResult>((resolve, reject) => {
          const log = path.join(cwd, `promtool-${process.pid}-${j}.log`);
          const fd = fs.openSync(log, "w");
          const child = spawn("promtool", ["test", "rules", ...chunk], { cwd, stdio: ["ignore", fd, fd] });
          child.on("error", reject);
          child.on("exit", (status) => {
            fs.closeSync(fd);
            const output = fs.readFileSync(log, "utf8");
            fs.rmSync(log);
            resolve({ status, output, perFile: parsePerFile(output) });
          });
        }),
    ),
  );
  return {
    status: results.every((r) => r.status === 0) ? 0 : 1,
    output: results.map((r) => r.output).join("\n"),
    perFile: new Map(results.flatMap((r) => [...r.perFile])),
  };
}

function parsePerFile(output: string): Map<string, string> {
  const perFile = new Map<string, string>();
  for (const chunk of output.split(/^Unit Testing:\s+/m).slice(1)) {
    const [file, ...rest] = chunk.split("\n");
    perFile.set(path.basename(file.trim()), rest.join("\n").trim());
  }
  return perFile;
}

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Turns rule scenarios into `promtool test rules` files and runs promtool on them. */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { alertRules } from "../../components/health/alerts";
import type { HealthContext } from "../../components/health/context";
import { GATE_NAMES, type GateName } from "../../components/health/gates";
import { SERIES, ruleGroups } from "../../components/health/rules";
import { NODES, applies, type LabNode, type Scenario } from "./rule-scenarios";
import { labelText } from "./series";

/** `{{ $labels.x }}` substituted the way Prometheus renders these simple templates. */
export function renderTemplate(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? "");
}

/** Expected state of a gate on a node: 0 failed, 1 passed, -1 unknown, undefined when the gate does not apply. */
export function expectedState(scenario: Scenario, node: LabNode, gate: GateName): number | undefined {
  if (!applies(node, gate)) return undefined;
  if (scenario.failing?.[gate]?.includes(node.node)) return 0;
  if (scenario.unknown?.[gate]?.includes(node.node)) return -1;
  return 1;
}

/** The verdict of several states: not comparable (0) if any failed, else unknown (-1) if any unknown, else comparable (1). */
export function verdictOf(states: ReadonlyArray<number | undefined>): number {
  const known = states.filter((s): s is number => s !== undefined);
  return known.includes(0) ? 0 : known.includes(-1) ? -1 : 1;
}

function gateExpectations(scenario: Scenario) {
  const t = scenario.evalTime;
  if (scenario.failing === null) {
    return [SERIES.gateOk, SERIES.gateUnknown, SERIES.comparable].map((m) => ({ expr: m, eval_time: t, exp_samples: [] }));
  }
  const nodes = scenario.nodes ?? NODES;
  const states = nodes.flatMap((node) => GATE_NAMES.map((gate) => ({ node, gate, state: expectedState(scenario, node, gate) })));
  const labels = (metric: string, s: { node: LabNode; gate: GateName }) => labelText(metric, { gate: s.gate, node: s.node.node, pool: s.node.pool, scope: "node" });
  const nodeVerdict = (node: LabNode) => verdictOf(states.filter((s) => s.node === node).map((s) => s.state));
  const pools = [...new Set(nodes.map((n) => n.pool))];
  return [
    { expr: `${SERIES.gateOk}{scope="node"}`, eval_time: t, exp_samples: states.filter((s) => s.state === 0 || s.state === 1).map((s) => ({ labels: labels(SERIES.gateOk, s), value: s.state })) },
    { expr: SERIES.gateFailed, eval_time: t, exp_samples: states.filter((s) => s.state === 0).map((s) => ({ labels: labels(SERIES.gateFailed, s), value: 1 })) },
    { expr: SERIES.gateUnknown, eval_time: t, exp_samples: states.filter((s) => s.state === -1).map((s) => ({ labels: labels(SERIES.gateUnknown, s), value: 1 })) },
    {
      expr: `${SERIES.comparable}{scope="node"}`,
      eval_time: t,
      exp_samples: nodes.map((node) => ({ labels: labelText(SERIES.comparable, { node: node.node, pool: node.pool, scope: "node" }), value: nodeVerdict(node) })),
    },
    {
      expr: `${SERIES.comparable}{scope="pool"}`,
      eval_time: t,
      exp_samples: pools.map((pool) => ({ labels: labelText(SERIES.comparable, { pool, scope: "pool" }), value: verdictOf(nodes.filter((n) => n.pool === pool).map(nodeVerdict)) })),
    },
  ];
}

/** Every alert of the rule set is checked at each instant: the expected ones fire with exactly these labels, all others stay silent. */
function alertExpectations(ctx: HealthContext, scenario: Scenario) {
  const checks = [{ evalTime: scenario.evalTime, alerts: scenario.alerts }, ...(scenario.alertChecks ?? [])];
  return checks.flatMap((check) =>
    alertRules(ctx).map((rule) => {
      const expected = check.alerts.find((a) => a.alert === rule.alert);
      return {
        eval_time: check.evalTime,
        alertname: rule.alert,
        exp_alerts: (expected?.instances ?? []).map((instance) => {
          const all = { ...instance, ...rule.labels };
          return { exp_labels: all, exp_annotations: { summary: renderTemplate(rule.annotations.summary, all), description: renderTemplate(rule.annotations.description, all) } };
        }),
      };
    }),
  );
}

export function scenarioTestFile(ctx: HealthContext, scenario: Scenario, rulesFile: string, evaluationInterval: string): string {
  return yaml.dump(
    {
      rule_files: [rulesFile],
      evaluation_interval: evaluationInterval,
      // promtool evaluates the groups in a random order unless told; the file's order is the data's.
      group_eval_order: ruleGroups(ctx).map((g) => g.name),
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

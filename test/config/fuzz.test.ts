/**
 * Property-based fuzzing of the loader (fast-check): mutations of the example lab (type swaps,
 * boundary numbers, unicode, deep nesting, prototype keys, template and shell text), mutations of
 * its YAML text (aliases, tags, random edits), and configs generated from nothing. Whatever the
 * input, the loader returns a model whose derivations run (inventory, Fleet plans) or problems that
 * each name a config path; it never throws, and every case finishes quickly (no hang, no blow-up).
 *
 * Runs are bounded (FUZZ_RUNS, default below) and seeded: a failure prints fast-check's seed and
 * path; FUZZ_SEED replays it.
 */
import * as fs from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { buildInventory, dumpInventory } from "../../components/bootstrap/inventory";
import { teamFleetPlan } from "../../components/gitops/fleet-values";
import ipaddr from "ipaddr.js";
import { calibrationCronJobName } from "../../config/k8s-names";
import { INTERNAL_ERROR, validateConfig } from "../../config/load";
import type { LabModel } from "../../config/model";
import { cpuQuantity, memoryQuantity } from "../../config/quantity";
import { parseStackText } from "../../config/stack-file";
import { EXAMPLE_STACK, loadStackConfig } from "../harness/fixtures";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
/** Longest any single case may take: far above the ~5 ms a valid config takes, far below a hang. */
const CASE_BUDGET_MS = 1000;

const example = loadStackConfig();
const exampleText = fs.readFileSync(EXAMPLE_STACK, "utf8");
const stats = { cases: 0, models: 0, ms: 0, slowest: 0 };
afterAll(() => {
  console.log(
    `fuzz (seed ${SEED}): ${stats.cases} cases, ${stats.models} valid models, ${stats.ms.toFixed(0)} ms in the loader, slowest case ${stats.slowest.toFixed(1)} ms`,
  );
});

/** Kubernetes' quantity grammar (apimachinery resource.Quantity), without exponents: what the stack must render. */
const K8S_QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** What a valid model must guarantee so that it plans and applies: checked independently of the validators. */
function checkModel(model: LabModel): void {
  for (const node of model.nodes) {
    const ip = ipaddr.IPv4.parse(node.address);
    expect(ip.toString(), node.address).toBe(node.address);
    expect(["unspecified", "broadcast", "multicast", "loopback"]).not.toContain(ip.range());
    expect(memoryQuantity(node.memoryGiB)).toMatch(K8S_QUANTITY);
    for (const key of Object.keys(node.labels)) expect(key.split("/").pop()).toMatch(LABEL_NAME);
  }
  for (const team of model.teams) {
    expect(cpuQuantity(team.quota.cpu)).toMatch(K8S_QUANTITY);
    expect(cpuQuantity(team.quota.cpu)).not.toMatch(/^0m?$/);
    expect(memoryQuantity(team.quota.memoryGiB)).toMatch(K8S_QUANTITY);
    expect(memoryQuantity(team.quota.memoryGiB)).not.toMatch(/^0(Mi|Gi)$/);
    for (const key of Object.keys(team.nodeSelector)) expect(key.split("/").pop()).toMatch(LABEL_NAME);
  }
  const jobs = model.nodes.map((n) => calibrationCronJobName(n.name));
  expect(new Set(jobs).size).toBe(jobs.length);
  // Every string value the inventory hands to Ansible is tagged unsafe.
  const inventory = dumpInventory(buildInventory(model));
  for (const line of inventory.split("\n")) {
    const value = /^\s*(?:- |[A-Za-z0-9_.-]+: )(.+)$/.exec(line)?.[1];
    if (value !== undefined && !/^(true|false|-?\d+(\.\d+)?|\{\}|\[\])$/.test(value)) expect(value.startsWith("!unsafe "), line).toBe(true);
  }
}

/** The property every input must satisfy. */
function checkLoader(raw: Record<string, unknown>): void {
  const started = performance.now();
  const result = validateConfig(raw, "fuzz");
  if (result.model) {
    expect(result.problems).toEqual([]);
    checkModel(result.model);
    for (const team of result.model.teams) teamFleetPlan(result.model, team, result.model.gitops);
    stats.models++;
  } else {
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) {
      expect(p.path).toMatch(/^lab(:|$)/);
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.message).not.toContain(INTERNAL_ERROR);
    }
  }
  const ms = performance.now() - started;
  stats.cases++;
  stats.ms += ms;
  stats.slowest = Math.max(stats.slowest, ms);
  expect(ms).toBeLessThan(CASE_BUDGET_MS);
}

/** Every path (object keys and array indexes) in a value, the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function setOwn(target: any, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function withValueAt(raw: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(raw);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  setOwn(node, path[path.length - 1], value);
  return copy;
}

function nested(depth: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"];

const hostileStrings = fc.constantFrom(
  "{{ lookup('pipe','touch /tmp/fuzz-marker') }}", "{% raw %}", "$(id)", "`id`", "a;b", "../..", "/", "",
  "192.0.2.011", "0.0.0.0", "255.255.255.255", "127.0.0.1", "0x7f.1", "https://u:p@h/x", "http://x", "git@h:../x",
  "0s", "-1s", "99999999999999999999w", "(en", "(?=x)", "\\", "\n", "\u0000", "😀", "ℌ", "İ", "x".repeat(70),
  "1e300", "0.0001", "NaN", "-0", "main..x", "@{-1}", "!unsafe x", "*alias", "&anchor x",
  ...PROTOTYPE_KEYS,
);

const boundaryNumbers = fc.constantFrom(
  0, -0, -1, 1, 0.0001, 0.5, 1e-300, 1e300, 2 ** 31 - 1, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 65535, 65536, 63, 64, 52, 253, 254,
);

function protoObject(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setOwn(out, key, value);
  return out;
}

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileStrings,
  boundaryNumbers,
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 80 }).map(nested),
  fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => protoObject(k, v)),
  fc.array(hostileStrings, { maxLength: 5 }),
);

const examplePaths = paths(example).filter((p) => p.length > 0);

describe("fuzzing the loader", () => {
  it("holds for mutations of the example: a value replaced, a key added, a section swapped", () => {
    const mutation = fc.oneof(
      fc.tuple(fc.constantFrom(...examplePaths), anyValue).map(([path, value]) => withValueAt(example, path, value)),
      fc
        .tuple(fc.constantFrom(...examplePaths.filter((p) => true)), fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 })), anyValue)
        .map(([path, key, value]) => {
          const copy = structuredClone(example);
          let node: any = copy;
          for (const k of path) node = node[k];
          if (typeof node === "object" && node !== null && !Array.isArray(node)) setOwn(node, key, value);
          return copy;
        }),
      fc
        .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, "teams:legacy", "cluster:name", "", ":"), fc.string({ maxLength: 12 })), anyValue)
        .map(([key, value]) => withValueAt(example, [`lab:${key}`], value)),
    );
    fc.assert(fc.property(mutation, checkLoader), { numRuns: RUNS, seed: SEED });
  });

  it("holds for configs generated from nothing", () => {
    const sections = ["cluster", "ssh", "nodes", "teams", "monitoring", "network", "gitops", "health", "versions", "hosts"];
    const config = fc.dictionary(
      fc.oneof(fc.constantFrom(...sections.map((s) => `lab:${s}`), ...sections, ...PROTOTYPE_KEYS.map((k) => `lab:${k}`)), fc.string({ maxLength: 10 })),
      fc.oneof(anyValue, fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true })),
      { maxKeys: 8 },
    );
    fc.assert(fc.property(config, (raw) => checkLoader(raw as Record<string, unknown>)), { numRuns: RUNS, seed: SEED });
  });

  it("holds for mutations of the YAML text: edits, aliases and tags", () => {
    const insertion = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.constantFrom("&a ", "*a", "<<: *a\n", "!!js/function ", "!unsafe ", "!!binary ", "? [a]\n", "{", "[", "- ", ": ", "\t", "---\n", "%YAML 1.1\n", "\u0000"),
    );
    const edit = fc.tuple(fc.nat({ max: exampleText.length }), fc.nat({ max: 20 }), insertion);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = exampleText;
        for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + remove));
        const started = performance.now();
        const read = parseStackText(text, "Pulumi.fuzz.yaml");
        expect(performance.now() - started).toBeLessThan(CASE_BUDGET_MS);
        if (read.ok) checkLoader(read.value.raw);
        else for (const p of read.problems) expect(p.path.startsWith("Pulumi.fuzz.yaml") || p.path.startsWith("lab")).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

import { describe, expect, it } from "vitest";
import type { PlanEntry } from "../../tools/plan/bundle";
import { diffPlans, diffValues, renderDiffMarkdown } from "../../tools/plan/diff";

function entry(name: string, type: string, inputs: unknown, extra: Partial<PlanEntry> = {}): PlanEntry {
  return { urn: `urn:pulumi:lab::lab::${type}::${name}`, type, name, parent: "", provider: "", dependsOn: [], inputs, ...extra };
}

const quota = (cpu: string) => entry("dst", "kubernetes:core/v1:ResourceQuota", { spec: { hard: { "requests.cpu": cpu, pods: "100" } } });

describe("plan diff", () => {
  it("lists leaf changes with their paths", () => {
    expect(diffValues({ a: { b: [1, 2], c: "x" } }, { a: { b: [1, 3, 4], c: "x" }, d: true })).toEqual([
      { path: "a.b[1]", before: 2, after: 3 },
      { path: "a.b[2]", before: undefined, after: 4 },
      { path: "d", before: undefined, after: true },
    ]);
    expect(diffValues({ spec: { hard: { "requests.cpu": "1" } } }, { spec: { hard: { "requests.cpu": "2" } } })[0].path).toBe(
      'spec.hard["requests.cpu"]',
    );
  });

  it("classifies resources as added, removed, changed and unchanged", () => {
    const ns = entry("dst", "kubernetes:core/v1:Namespace", { metadata: { name: "dst" } });
    const oldNode = entry("node-07", "kubernetes:core/v1:NodePatch", {});
    const newNode = entry("node-08", "kubernetes:core/v1:NodePatch", {});
    const diff = diffPlans([ns, quota("100"), oldNode], [ns, quota("120"), newNode]);
    expect(diff.added.map((e) => e.name)).toEqual(["node-08"]);
    expect(diff.removed.map((e) => e.name)).toEqual(["node-07"]);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].changes).toEqual([{ path: 'inputs.spec.hard["requests.cpu"]', before: "100", after: "120" }]);
    expect(diff.unchanged).toBe(1);
  });

  it("notices parent, provider and dependency changes", () => {
    const before = entry("x", "t:t:T", {}, { dependsOn: ["a"], provider: "p1" });
    const after = entry("x", "t:t:T", {}, { dependsOn: ["a", "b"], provider: "p2" });
    expect(diffPlans([before], [after]).changed[0].changes.map((c) => c.path)).toEqual(["provider", "dependsOn"]);
  });

  it("renders a Markdown comment a reviewer can read", () => {
    const md = renderDiffMarkdown(diffPlans([quota("100")], [quota("120"), entry("node-08", "kubernetes:core/v1:NodePatch", {})]));
    expect(md).toContain("**1 to add, 1 to change, 0 to remove** (0 unchanged).");
    expect(md).toContain("| `kubernetes:core/v1:NodePatch` | node-08 | (root) |");
    expect(md).toContain('- `kubernetes:core/v1:ResourceQuota` **dst**');
    expect(md).toContain('  - `inputs.spec.hard["requests.cpu"]`: "100" → "120"');
    expect(renderDiffMarkdown(diffPlans([quota("1")], [quota("1")]))).toContain("No changes.");
  });

  it("cuts long change lists", () => {
    const many = (v: number) => entry("cm", "kubernetes:core/v1:ConfigMap", { data: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, String(v)])) });
    const md = renderDiffMarkdown(diffPlans([many(1)], [many(2)]), "t", 5);
    expect(md).toContain("… and 25 more");
  });
});

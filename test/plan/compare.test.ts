import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareBundles } from "../../tools/plan/compare";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-compare-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bundle(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("compareBundles", () => {
  const base = { "resources.json": "[]\n", "summary.md": "# Plan\n", "rules/m-a.yaml": "groups: []\n", "dashboards/m-x.json": "{}" };

  it("finds nothing between identical bundles, and ignores diff.md", () => {
    expect(compareBundles(bundle("a", base), bundle("b", { ...base, "diff.md": "changed" }))).toEqual([]);
  });

  it("names every file that differs by a byte or exists on one side only", () => {
    const { "dashboards/m-x.json": _dropped, ...rest } = base;
    const other = bundle("c", { ...rest, "summary.md": "# Plan \n", "rules/m-b.yaml": "groups: []\n" });
    expect(compareBundles(path.join(tmp, "a"), other)).toEqual(["dashboards/m-x.json", "rules/m-b.yaml", "summary.md"]);
  });
});

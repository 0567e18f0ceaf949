/**
 * The offline plan at the scale issue 15 names: a generated 1000-node, 50-team lab plans in one
 * process within 1 GB (10^9 bytes) of peak resident memory and 20 s of CPU time, the bounds the
 * issue sets for the plan's wall time on a quiet 2-core machine (CPU time is what other load on a
 * busy CI machine inflates least). It was 0.96 GiB and 20 s of CPU before the plan's mocks kept
 * registration inputs as JSON and built output properties on first read (docs/performance.md).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { generateLab } from "../../tools/generate-lab";
import { measurePlan } from "../../tools/plan/measure";
import { REPO_ROOT } from "../harness/fixtures";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plan-scale-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("the 1000-node plan", () => {
  it("peaks under 1 GB and 20 s of CPU, and plans every node", () => {
    const config = path.join(scratch, "Pulumi.gen1000.yaml");
    fs.writeFileSync(config, yaml.dump(generateLab(1000, 50), { lineWidth: 200 }));
    const out = path.join(scratch, "out");
    const usage = measurePlan(REPO_ROOT, ["--config-file", config, "--at", "2026-12-01T00:00:00Z"], out, scratch);
    const entries = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as { type: string }[];
    expect(entries.filter((e) => e.type === "kubernetes:core/v1:NodePatch")).toHaveLength(1000);
    expect(usage.peakBytes).toBeLessThan(1e9);
    expect(usage.cpuSeconds).toBeLessThan(20);
  }, 120_000);
});

/** The plan refuses what the engine would: two resources under one URN (exit 2, policy unique-urn). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect, it } from "vitest";
import { runPlan } from "../../tools/plan/run";
import { EXAMPLE_STACK, REPO_ROOT } from "../harness/fixtures";

it("fails the plan when two resources share a URN", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "lab-dup-urn-"));
  const result = await runPlan({
    stack: "lab",
    configFile: EXAMPLE_STACK,
    outDir: out,
    entry: path.join(REPO_ROOT, "test/fixtures/duplicate-urn-program.ts"),
  });
  fs.rmSync(out, { recursive: true, force: true });
  expect(result.exitCode).toBe(2);
  expect(result.violations.filter((v) => v.policy === "unique-urn").map((v) => [v.name, v.enforcementLevel])).toEqual([["calibrate-same-name", "mandatory"]]);
}, 60_000);

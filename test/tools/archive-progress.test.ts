/**
 * `npm run archive` reports progress on stderr: in CI logs one start and one end line per step
 * (what, how much, how long), never a redrawn line; the results stay on stdout.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/fixtures";
import { requireTools } from "../harness/tools";
import { startVictoriaMetrics, type VictoriaMetrics } from "../harness/victoria-metrics";

const haveTools = requireTools("victoria-metrics", "victoria-metrics") && requireTools("zstd", "zstd");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-archive-progress-"));
const T0 = Math.floor((Date.now() - 7_200_000) / 60_000) * 60_000;

describe.skipIf(!haveTools)("archive progress", () => {
  let vm: VictoriaMetrics;
  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    const line = (name: string, labels: Record<string, string>) =>
      JSON.stringify({ metric: { __name__: name, ...labels }, values: [1, 2, 3], timestamps: [T0, T0 + 30_000, T0 + 60_000] });
    await vm.importLines([
      line("libp2p_peers", { experiment_id: "exp-1", node: "node-01", tier: "experiment" }),
      line("libp2p_peers", { experiment_id: "exp-1", node: "node-02", tier: "experiment" }),
      line("node_timex_offset_seconds", { node: "node-01", tier: "infra" }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await vm?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("prints each step's start and end in CI, with counts and elapsed time, and keeps stdout for results", () => {
    const out = path.join(tmp, "exp-1");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "tools/archive.ts"), "--experiment", "exp-1", "--from", String(T0 / 1000), "--to", String(T0 / 1000 + 60), "--vm-url", vm.url, "--out", out],
      { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, CI: "true" }, timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      "find the series of experiment exp-1...",
      expect.stringMatching(/^find the series of experiment exp-1: done in \d+\.\ds \(2 series\)$/),
      "export experiment.jsonl.zst...",
      expect.stringMatching(/^export experiment\.jsonl\.zst: done in \d+\.\ds \(2 series, 6 samples, \d+ bytes\)$/),
      "export health.jsonl.zst...",
      expect.stringMatching(/^export health\.jsonl\.zst: done in \d+\.\ds \(1 series, 3 samples, \d+ bytes\)$/),
    ]);
    expect(run.stderr).not.toContain("\r");
    expect(run.stdout).toContain("archived experiment exp-1");

    const restore = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/archive.ts"), "--restore", out, "--vm-url", vm.url], {
      cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, CI: "true" }, timeout: 60_000,
    });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr.trim().split("\n")).toEqual([
      "verify checksums...",
      expect.stringMatching(/^verify checksums: done in \d+\.\ds$/),
      "import experiment.jsonl.zst...",
      expect.stringMatching(/^import experiment\.jsonl\.zst: done in \d+\.\ds \(2 series, 6 samples\)$/),
      "import health.jsonl.zst...",
      expect.stringMatching(/^import health\.jsonl\.zst: done in \d+\.\ds \(1 series, 3 samples\)$/),
    ]);
  });
});

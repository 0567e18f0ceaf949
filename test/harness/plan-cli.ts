/** Runs `npm run plan` the way an operator does: a separate process, real exit codes. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./fixtures";

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runPlanCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/plan.ts"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

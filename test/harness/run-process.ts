/**
 * Runs a process asynchronously (so servers living in the test process keep answering) and collects
 * its output; killed with SIGKILL after `timeoutMs`.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./fixtures";

export interface ProcessResult {
  /** Exit code; null when killed by a signal (the timeout). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runProcess(command: string, args: readonly string[], options: SpawnOptions = {}, timeoutMs = 120_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => (clearTimeout(timer), reject(error)));
    child.on("exit", (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
}

/** Runs one of the repository's tools (`tools/<name>.ts`) as an operator does, with CI=true (no TTY progress). */
export function runTool(tool: string, args: readonly string[], timeoutMs = 120_000): Promise<ProcessResult> {
  return runProcess(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools", `${tool}.ts`), ...args], { cwd: REPO_ROOT, env: { ...process.env, CI: "true" } }, timeoutMs);
}

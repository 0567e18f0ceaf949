/**
 * The SSH key file: read only when it is a regular file of at most 64 KiB (never /dev/zero, a FIFO
 * or a directory), so a bad path is a config problem at lab:ssh.privateKeyPath, reported at once.
 * No Pulumi SDK here: the plan checks it before loading the program.
 */
import * as os from "node:os";
import * as path from "node:path";
import type { ConfigProblem } from "./problems";
import { MAX_PRIVATE_KEY_BYTES } from "./schema/ssh";
import { readRegularFile } from "./stack-file";

export function expandHome(file: string): string {
  return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}

/** The SSH key file's text, "missing", or a problem at lab:ssh.privateKeyPath (not a regular file, too big). */
export function readKeyFile(file: string): { key: string } | "missing" | ConfigProblem {
  const read = readRegularFile(expandHome(file), MAX_PRIVATE_KEY_BYTES, "lab:ssh.privateKeyPath");
  if (read.ok) return { key: read.value.toString("utf8") };
  const problem = read.problems[0];
  return problem.message.endsWith("does not exist") ? "missing" : problem;
}

/** The `lab:ssh` (or bare `ssh`) section of a raw config, when it is a map. */
export function sshSection(raw: Record<string, unknown>): { privateKey?: unknown; privateKeyPath?: unknown } | undefined {
  const ssh = Object.hasOwn(raw, "lab:ssh") ? raw["lab:ssh"] : Object.hasOwn(raw, "ssh") ? raw["ssh"] : undefined;
  return typeof ssh === "object" && ssh !== null ? (ssh as Record<string, unknown>) : undefined;
}

/** Problems of the SSH key file, checked before anything runs (the plan calls it with the validated config). */
export function keyFileProblems(raw: Record<string, unknown>): ConfigProblem[] {
  const file = sshSection(raw)?.privateKeyPath;
  if (typeof file !== "string" || sshSection(raw)?.privateKey !== undefined) return [];
  const read = readKeyFile(file);
  return read === "missing" || "key" in read ? [] : [read];
}


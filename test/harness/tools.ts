/**
 * Real tools from Debian packages. Locally a missing tool skips its tests with a loud message naming
 * the package; in CI (CI=true) a missing tool fails the run, because nothing there may skip.
 */
import { spawnSync } from "node:child_process";

export function hasCommand(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** True when every command is installed; otherwise warns (locally) or throws (CI). */
export function requireTools(pkg: string, ...commands: string[]): boolean {
  const missing = commands.filter((c) => !hasCommand(c));
  if (missing.length === 0) return true;
  const message = `missing ${missing.join(", ")}: install the Debian package "${pkg}" (apt-get install ${pkg})`;
  if (process.env.CI === "true") throw new Error(`${message}; CI may not skip these tests`);
  console.warn(`\n${"!".repeat(78)}\n!! SKIPPING tests: ${message}\n${"!".repeat(78)}\n`);
  return false;
}

/** Byte-for-byte comparison of two plan bundles (what bench:plan --before uses to prove a change kept the output). */
import * as fs from "node:fs";
import * as path from "node:path";

/** The bundle's deterministic parts; diff.md exists only with --diff. */
export const BUNDLE_PARTS = ["resources.json", "summary.md", "rules", "dashboards"] as const;

function files(root: string, part: string): string[] {
  const full = path.join(root, part);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [part];
  return fs.readdirSync(full).sort().flatMap((name) => files(root, path.posix.join(part, name)));
}

/**
 * Paths (relative, `/`-separated) of bundle files that differ between `a` and `b` or exist in only
 * one of them; empty when the bundles are byte-identical.
 */
export function compareBundles(a: string, b: string): string[] {
  const paths = [...new Set(BUNDLE_PARTS.flatMap((part) => [...files(a, part), ...files(b, part)]))].sort();
  return paths.filter((p) => {
    const [fa, fb] = [path.join(a, p), path.join(b, p)];
    if (!fs.existsSync(fa) || !fs.existsSync(fb)) return true;
    return !fs.readFileSync(fa).equals(fs.readFileSync(fb));
  });
}

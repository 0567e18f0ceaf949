/**
 * Secret config leaves (`pulumi config set --secret`): where they are, what stands in for them when
 * they cannot be decrypted (the offline plan), and how they stay secret in every resource input.
 *
 * The Pulumi engine tells the program only which top-level keys hold a secret
 * (`pulumi.runtime.isConfigSecret`, from PULUMI_CONFIG_SECRET_KEYS; @pulumi/pulumi 3.248.0
 * runtime/config.js); the stack file tells which leaves are `secure:`. Both are used: a leaf is
 * secret when the stack file marks it, and when the file is not readable every string leaf of a
 * secret key is. The transformation that keeps them secret in resource inputs is in secret-inputs.ts.
 */
import { runCrossChecks } from "./checks";
import { parseConfig } from "./parse";
import { keyPath } from "./problems";
import type { SecureLeaf, StackFile } from "./stack-file";

/**
 * Values tried, in order, for a `secure:` leaf that cannot be decrypted: the first one its field's
 * grammar accepts stands in for it, so the rest of the config is still validated and planned (the
 * plaintext itself is validated by `pulumi preview`, which decrypts it). Each is marked secret like
 * the real value, so the plan shows `[secret]` where it lands.
 */
export const SECURE_STAND_INS = [
  "secure-standin",
  "https://secure-standin.invalid/secure-standin",
  "secure-standin@secure-standin.invalid",
  "#secure-standin",
  "s3://secure-standin/secure-standin",
  "fs:///secure-standin",
  "/var/lib/secure-standin",
  "secure-standin.invalid:25",
  "198.51.100.254",
  "10.254.0.0/16",
  "v0.0.0-secure-standin",
  "v1.32.0+k3s1",
  "1h",
  "6w",
  "9y",
  "2000-01-01T00:00:00Z",
  "2999-12-31T00:00:00Z",
] as const;

function getAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

/**
 * The stack file with each `secure:` leaf replaced by the first stand-in its field accepts (or the
 * unmodified placeholder when none does, which then fails validation at that path).
 */
export function withSecureStandIns(file: StackFile): StackFile {
  const raw: Record<string, unknown> = { ...file.raw };
  for (const leaf of file.secureLeaves) {
    const where = keyPath(leaf.key, leaf.path);
    for (const candidate of SECURE_STAND_INS) {
      const value = setAt(raw[leaf.key], leaf.path, candidate);
      // The whole config, cross-checks included: a lease's until must follow its from, a cold
      // retention outlive the hot one, whichever of the two is the secret.
      const { sections, problems } = parseConfig({ ...raw, [leaf.key]: value });
      problems.push(...runCrossChecks(sections));
      if (!problems.some((p) => p.path === where || p.path.startsWith(`${where}.`) || p.path.startsWith(`${where}[`))) {
        raw[leaf.key] = value;
        break;
      }
    }
  }
  const config: Record<string, string> = {};
  for (const key of Object.keys(raw)) config[key] = typeof raw[key] === "string" ? (raw[key] as string) : JSON.stringify(raw[key]);
  return { ...file, raw, config };
}

/** Plaintexts of the secret leaves in `raw` (strings only). */
export function secretLeafValues(raw: Record<string, unknown>, leaves: readonly SecureLeaf[]): string[] {
  const values = leaves.map((l) => getAt(raw[l.key], l.path)).filter((v): v is string => typeof v === "string" && v.length > 0);
  return [...new Set(values)].sort();
}

/** Every string leaf of the given keys: the fallback when only the secret keys are known. */
export function allStringLeaves(raw: Record<string, unknown>, keys: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.length > 0) out.add(v);
    } else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  keys.forEach((k) => walk(raw[k]));
  return [...out].sort();
}

/** Secrets shorter than this only match a whole input string; longer ones also match inside one (a URL in a config file). */
export const MIN_EMBEDDED_SECRET_LENGTH = 6;

export function plain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
}

/** True when `value` holds one of `secrets` (whole, or embedded when long enough). */
export function containsSecret(value: unknown, secrets: readonly string[]): boolean {
  if (typeof value === "string") {
    return secrets.some((s) => value === s || (s.length >= MIN_EMBEDDED_SECRET_LENGTH && value.includes(s)));
  }
  return plain(value) && Object.values(value).some((v) => containsSecret(v, secrets));
}

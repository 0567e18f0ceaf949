/** Reads a `Pulumi.<stack>.yaml`-shaped file into the string map the Pulumi runtime config expects. */
import * as fs from "node:fs";
import * as yaml from "js-yaml";

export const SECURE_PLACEHOLDER = "[secure value: not decryptable offline]";

export interface StackFile {
  /** `lab:cluster` -> JSON text (objects) or the plain string, as `pulumi.runtime.setAllConfig` wants. */
  readonly config: Record<string, string>;
  /** Keys holding a `secure:` value somewhere inside; they are passed to the runtime as secret. */
  readonly secretKeys: string[];
  /** The same values decoded, for direct validation. */
  readonly raw: Record<string, unknown>;
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces encrypted `secure:` leaves with a placeholder; reports whether any was found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: SECURE_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(stripSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const stripped = stripSecure(v);
      out[k] = stripped.value;
      secret ||= stripped.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

export function parseStackText(text: string, source: string): StackFile {
  const doc = yaml.load(text) as { config?: Record<string, unknown> } | null;
  if (!doc || typeof doc !== "object" || typeof doc.config !== "object" || doc.config === null) {
    throw new Error(`${source}: no top-level "config:" map`);
  }
  const config: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config)) {
    const stripped = stripSecure(value);
    raw[key] = stripped.value;
    config[key] = typeof stripped.value === "string" ? stripped.value : JSON.stringify(stripped.value);
    if (stripped.secret) secretKeys.push(key);
  }
  return { config, secretKeys, raw };
}

export function readStackFile(file: string): StackFile {
  return parseStackText(fs.readFileSync(file, "utf8"), file);
}

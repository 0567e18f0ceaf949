/** Turns recorded inputs into plain JSON: secrets become "[secret]", preview unknowns "[unknown]". */
import * as pulumi from "@pulumi/pulumi";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretSentinel(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function isUnknown(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && value.constructor?.name === "Unknown");
}

function isAsset(value: unknown): boolean {
  return pulumi.asset.Asset.isInstance(value);
}

function convert(value: unknown, onSecret: (inner: unknown) => unknown): unknown {
  if (value === undefined) return undefined;
  if (isSecretSentinel(value)) return onSecret(value.value);
  if (isUnknown(value)) return UNKNOWN;
  if (isAsset(value)) return { asset: "path" in (value as object) ? "file" : "string" };
  if (Array.isArray(value)) return value.map((v) => convert(v, onSecret) ?? null);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === SIG_KEY) continue;
      const converted = convert((value as Record<string, unknown>)[key], onSecret);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return value;
}

/** For bundles and messages: what a reviewer may see. Object keys come out sorted. */
export function redact(value: unknown): unknown {
  return convert(value, () => SECRET);
}

/** For policies: CrossGuard sees secret values in clear and unknowns as absent. */
export function unwrapForPolicy(value: unknown): unknown {
  const converted = convert(value, (inner) => unwrapForPolicy(inner));
  return stripUnknown(converted);
}

function stripUnknown(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.map(stripUnknown);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, stripUnknown(v)]));
  }
  return value;
}

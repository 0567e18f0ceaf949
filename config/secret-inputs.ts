/**
 * Keeps secret config values secret in every resource input: a resource transformation, given to the
 * Lab and inherited by every resource under it, that wraps each input leaf holding a secret config
 * value (config/secure.ts finds them) in a secret Output.
 */
import * as pulumi from "@pulumi/pulumi";
import { containsSecret, plain } from "./secure";

/** `value` with every leaf that holds a secret (a string, or what an Output resolves to) made a secret Output. */
function markSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (pulumi.Output.isInstance(value)) {
    return value.apply((v) => (containsSecret(v, secrets) ? pulumi.secret(v) : v));
  }
  if (typeof value === "string") return containsSecret(value, secrets) ? pulumi.secret(value) : value;
  if (Array.isArray(value)) return value.map((v) => markSecrets(v, secrets));
  if (plain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = markSecrets(v, secrets);
    return out;
  }
  return value;
}

/**
 * A resource transformation (inherited by every child of the resource it is given to) that makes
 * each input leaf holding a secret config value a secret Output, wherever the model carried the
 * value: a secret branch in a GitRepo spec, a secret URL inside a rendered config file. Leaves
 * without a secret keep their value and structure.
 */
export function secretInputsTransformation(secrets: readonly string[]): pulumi.ResourceTransformation {
  return (args) => {
    if (secrets.length === 0) return undefined;
    return { props: markSecrets(args.props, secrets) as Record<string, unknown>, opts: args.opts };
  };
}

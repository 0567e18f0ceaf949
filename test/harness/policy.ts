/**
 * Policies without the CLI. `checkResource` builds the `ResourceValidationArgs` the analyzer would
 * pass for one resource (with a `notApplicable` that ends the validation, as the real one does) and
 * says what happened; `record` makes a ResourceRecord for `evaluatePolicies`.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { ResourceRecord } from "../../tools/plan/recorder";

export function record(type: string, name: string, inputs: Record<string, unknown>): ResourceRecord {
  return {
    urn: `urn:pulumi:lab::lab::${type}::${name}`,
    type,
    name,
    parent: "",
    provider: "",
    dependsOn: [],
    custom: true,
    inputs,
    options: {
      protect: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [],
      additionalSecretOutputs: [], retainOnDelete: false, deletedWith: "",
    },
  };
}

class NotApplicable extends Error {}

export type ResourceOutcome = { notApplicable: true; violations: [] } | { notApplicable: false; violations: string[] };

export async function checkResource(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, any>,
  config: Record<string, unknown> = {},
): Promise<ResourceOutcome> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).map(([k, s]) => [k, (s as { default?: unknown }).default]),
  );
  const args: ResourceValidationArgs = {
    type,
    props,
    urn: `urn:pulumi:lab::lab::${type}::r`,
    name: "r",
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
    stackTags: new Map(),
    isType: () => false,
    asType: (() => undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => ({ ...defaults, ...config }) as T,
    notApplicable: () => {
      throw new NotApplicable();
    },
  };
  const violations: string[] = [];
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  try {
    for (const validate of validations) await validate(args, (message) => violations.push(message));
  } catch (error) {
    if (error instanceof NotApplicable) return { notApplicable: true, violations: [] };
    throw error;
  }
  return { notApplicable: false, violations };
}

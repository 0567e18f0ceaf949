/**
 * Runs CrossGuard policies over recorded resources without the Pulumi CLI: each record becomes the
 * `ResourceValidationArgs` / `PolicyResource` the analyzer would build (props with secrets in clear,
 * unknowns dropped), and every reported violation is collected.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { ResourceRecord } from "./recorder";
import { unwrapForPolicy } from "./redact";

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly message: string;
}

class NotApplicable extends Error {}

type ResourceClass = { __pulumiType?: string };

function typeMatches(cls: unknown, type: string): boolean {
  return (cls as ResourceClass).__pulumiType === type;
}

function options(record: ResourceRecord): PolicyResourceOptions {
  const seconds = (text: string | undefined) => {
    const m = /^(\d+)([smh])$/.exec(text ?? "");
    return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"] : 0;
  };
  return {
    protect: record.options.protect,
    ignoreChanges: record.options.ignoreChanges,
    deleteBeforeReplace: record.options.deleteBeforeReplace,
    aliases: [],
    additionalSecretOutputs: record.options.additionalSecretOutputs,
    customTimeouts: {
      createSeconds: seconds(record.options.customTimeouts?.create),
      updateSeconds: seconds(record.options.customTimeouts?.update),
      deleteSeconds: seconds(record.options.customTimeouts?.delete),
    },
    parent: record.parent || undefined,
  };
}

function configOf(policy: ResourceValidationPolicy | StackValidationPolicy, overrides: Record<string, unknown>): object {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).map(([k, schema]) => [k, (schema as { default?: unknown }).default]),
  );
  return { ...defaults, ...overrides };
}

function notApplicable(): never {
  throw new NotApplicable();
}

export function toPolicyResources(records: readonly ResourceRecord[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of records) {
    const props = (unwrapForPolicy(r.inputs) ?? {}) as Record<string, unknown>;
    byUrn.set(r.urn, {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => typeMatches(cls, r.type),
      asType: ((cls: unknown) => (typeMatches(cls, r.type) ? props : undefined)) as PolicyResource["asType"],
    });
  }
  for (const r of records) {
    const resource = byUrn.get(r.urn)!;
    resource.parent = byUrn.get(r.parent);
    resource.dependencies = r.dependsOn.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
  }
  return [...byUrn.values()];
}

/**
 * @param levelFallback the pack's default enforcement level, for policies that set none.
 * @param config per-policy config overrides, by policy name.
 */
export async function evaluatePolicies(
  policies: Policies,
  records: readonly ResourceRecord[],
  levelFallback: EnforcementLevel = "mandatory",
  config: Record<string, Record<string, unknown>> = {},
): Promise<Violation[]> {
  const resources = toPolicyResources(records);
  const violations: Violation[] = [];
  for (const policy of policies) {
    const level = policy.enforcementLevel ?? levelFallback;
    if (level === "disabled") continue;
    const getConfig = <T extends object>() => configOf(policy, config[policy.name] ?? {}) as T;
    const report = (fallback: PolicyResource | undefined) => (message: string, urn?: string) => {
      const target = (urn && resources.find((r) => r.urn === urn)) || fallback;
      violations.push({
        policy: policy.name,
        enforcementLevel: level,
        urn: target?.urn ?? "",
        type: target?.type ?? "",
        name: target?.name ?? "(stack)",
        message,
      });
    };
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const resource of resources) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props: resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          stackTags: new Map(),
          isType: resource.isType,
          asType: ((cls: unknown) => (typeMatches(cls, resource.type) ? resource.props : undefined)) as ResourceValidationArgs["asType"],
          getConfig,
          notApplicable,
        };
        for (const validate of validations) {
          try {
            await validate(args, report(resource));
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack) {
      try {
        await policy.validateStack({ resources, stackTags: new Map(), getConfig, notApplicable }, report(undefined));
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    }
  }
  return violations;
}

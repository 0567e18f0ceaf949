/** The plan bundle: resources.json (sorted, redacted, byte-stable) and summary.md. */
import type { ResourceRecord } from "./recorder";
import { redact } from "./redact";
import type { Violation } from "./policy-runner";

/** One resources.json entry: the record's identity and graph, with inputs redacted to plain JSON. */
export type PlanEntry = Pick<ResourceRecord, "urn" | "type" | "name" | "parent" | "provider" | "dependsOn"> & {
  readonly inputs: unknown;
};

export function toEntries(records: readonly ResourceRecord[]): PlanEntry[] {
  return records
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      provider: r.provider,
      dependsOn: [...r.dependsOn].sort(),
      inputs: redact(r.inputs) ?? {},
    }))
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

export function renderResourcesJson(entries: readonly PlanEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Components are the project's own `lab:*` types; everything else is a provider resource. */
export function isComponentType(type: string): boolean {
  return type.startsWith("lab:");
}

function renderTree(entries: readonly PlanEntry[]): string[] {
  const urns = new Set(entries.map((e) => e.urn));
  const children = new Map<string, PlanEntry[]>();
  for (const e of entries) {
    const parent = urns.has(e.parent) ? e.parent : "";
    children.set(parent, [...(children.get(parent) ?? []), e]);
  }
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const e of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}- \`${e.type}\` ${e.name}`);
      walk(e.urn, depth + 1);
    }
  };
  walk("", 0);
  return lines;
}

export function renderSummary(stack: string, entries: readonly PlanEntry[], violations: readonly Violation[]): string {
  const byUrn = new Map(entries.map((e) => [e.urn, e]));
  const componentOf = (e: PlanEntry): string => {
    let parent = byUrn.get(e.parent);
    while (parent && !isComponentType(parent.type)) parent = byUrn.get(parent.parent);
    return parent ? parent.type : "(root)";
  };
  const components = entries.filter((e) => isComponentType(e.type));
  const perComponent = countBy(components, (e) => e.type).map(([type, instances]) => {
    const owned = entries.filter((e) => !isComponentType(e.type) && componentOf(e) === type).length;
    return `| \`${type}\` | ${instances} | ${owned} |`;
  });
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
  return [
    `# Plan: stack \`${stack}\``,
    "",
    `${entries.length} resources: ${components.length} components, ${entries.length - components.length} provider resources.`,
    "",
    "## Policy",
    "",
    violations.length === 0
      ? "No policy violations."
      : [`${mandatory.length} mandatory, ${violations.length - mandatory.length} advisory violation(s):`, "",
         ...violations.map((v) => `- **${v.enforcementLevel}** \`${v.policy}\` ${v.name} (\`${v.type}\`): ${v.message}`)].join("\n"),
    "",
    "## Resources per type",
    "",
    "| Type | Count |",
    "| --- | ---: |",
    ...countBy(entries, (e) => e.type).map(([type, n]) => `| \`${type}\` | ${n} |`),
    "",
    "## Resources per component",
    "",
    "| Component | Instances | Resources directly owned |",
    "| --- | ---: | ---: |",
    ...perComponent,
    "",
    "## Resource tree",
    "",
    ...renderTree(entries),
    "",
  ].join("\n");
}

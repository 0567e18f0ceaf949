/** Two plan bundles -> a Markdown summary of what a pull request adds, removes and changes. */
import type { PlanEntry } from "./bundle";

export interface Change {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ChangedResource {
  readonly entry: PlanEntry;
  readonly changes: Change[];
}

export interface PlanDiff {
  readonly added: PlanEntry[];
  readonly removed: PlanEntry[];
  readonly changed: ChangedResource[];
  readonly unchanged: number;
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (SIMPLE_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf-level differences between two JSON values, each with its path. */
export function diffValues(before: unknown, after: unknown, path = ""): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], childPath(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], childPath(path, i))).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

export function diffPlans(base: readonly PlanEntry[], head: readonly PlanEntry[]): PlanDiff {
  const baseByUrn = new Map(base.map((e) => [e.urn, e]));
  const headByUrn = new Map(head.map((e) => [e.urn, e]));
  const added = head.filter((e) => !baseByUrn.has(e.urn));
  const removed = base.filter((e) => !headByUrn.has(e.urn));
  const changed: ChangedResource[] = [];
  let unchanged = 0;
  for (const entry of head) {
    const before = baseByUrn.get(entry.urn);
    if (!before) continue;
    const changes = [
      ...diffValues(before.inputs, entry.inputs, "inputs"),
      ...diffValues(before.parent, entry.parent, "parent"),
      ...diffValues(before.provider, entry.provider, "provider"),
      ...(JSON.stringify(before.dependsOn) === JSON.stringify(entry.dependsOn)
        ? []
        : [{ path: "dependsOn", before: before.dependsOn, after: entry.dependsOn }]),
    ];
    if (changes.length > 0) changed.push({ entry, changes });
    else unchanged++;
  }
  return { added, removed, changed, unchanged };
}

function shortValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function entryTable(entries: readonly PlanEntry[]): string[] {
  return [
    "| Type | Name | Parent |",
    "| --- | --- | --- |",
    ...entries.map((e) => `| \`${e.type}\` | ${escapeCell(e.name)} | ${escapeCell(e.parent.split("::").pop() || "(root)")} |`),
  ];
}

/** @param maxChangesPerResource long lists are cut so a PR comment stays readable. */
export function renderDiffMarkdown(diff: PlanDiff, title = "Lab plan diff", maxChangesPerResource = 20): string {
  const { added, removed, changed, unchanged } = diff;
  const lines = [
    `## ${title}`,
    "",
    `**${added.length} to add, ${changed.length} to change, ${removed.length} to remove** (${unchanged} unchanged).`,
    "",
  ];
  if (added.length + changed.length + removed.length === 0) return [...lines, "No changes.", ""].join("\n");
  if (added.length > 0) lines.push(`### Added (${added.length})`, "", ...entryTable(added), "");
  if (removed.length > 0) lines.push(`### Removed (${removed.length})`, "", ...entryTable(removed), "");
  if (changed.length > 0) {
    lines.push(`### Changed (${changed.length})`, "");
    for (const { entry, changes } of changed) {
      lines.push(`- \`${entry.type}\` **${entry.name}**`);
      for (const c of changes.slice(0, maxChangesPerResource)) {
        lines.push(`  - \`${c.path}\`: ${escapeCell(shortValue(c.before))} → ${escapeCell(shortValue(c.after))}`);
      }
      if (changes.length > maxChangesPerResource) lines.push(`  - … and ${changes.length - maxChangesPerResource} more`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

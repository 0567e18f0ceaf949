/** Small helpers that write PromQL text, so quoting and regex escaping happen in one place. */

/** A PromQL double-quoted string literal. */
export function str(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export const eq = (label: string, value: string): string => `${label}=${str(value)}`;
export const ne = (label: string, value: string): string => `${label}!=${str(value)}`;
export const re = (label: string, regex: string): string => `${label}=~${str(regex)}`;
export const nre = (label: string, regex: string): string => `${label}!~${str(regex)}`;

/** `metric{m1,m2}`; no braces when there is no matcher. */
export function selector(metric: string, matchers: readonly string[] = []): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(",")}}`;
}

/** An anchored regex matching exactly the given literal values. */
export function alternation(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
}

export function labelReplace(expr: string, dst: string, replacement: string, src = "", regex = ""): string {
  return `label_replace(${expr}, ${str(dst)}, ${str(replacement)}, ${str(src)}, ${str(regex)})`;
}

/** Copies label `src` to `dst` (e.g. src_node_name -> node). */
export function copyLabel(expr: string, src: string, dst: string): string {
  return labelReplace(expr, dst, "$1", src, "(.+)");
}

/** Adds a constant label. */
export function withLabel(expr: string, label: string, value: string): string {
  return labelReplace(expr, label, value);
}

/** The union of several vectors (`a or b or c`), parenthesised. */
export function union(exprs: readonly string[]): string {
  if (exprs.length === 0) throw new Error("union of no expressions");
  return exprs.length === 1 ? exprs[0] : `(${exprs.join(" or ")})`;
}


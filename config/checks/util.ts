/** What every cross-check module shares: the check signature and duplicate detection. */
import type { ConfigProblem } from "../problems";
import type { LabConfig } from "../schema";

/** A cross-check runs on the sections that parsed; each finding names its config path. */
export type Check = (config: Partial<LabConfig>) => ConfigProblem[];

export function duplicates<T>(items: readonly T[], key: (item: T) => string): Array<{ index: number; first: number; value: string }> {
  const seen = new Map<string, number>();
  const found: Array<{ index: number; first: number; value: string }> = [];
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else found.push({ index, first, value });
  });
  return found;
}

/** One problem per repeated value of `field` in a config list, pointing at the first occurrence. */
export function duplicateProblems<T>(list: string, items: readonly T[], field: keyof T & string, what: (value: string) => string): ConfigProblem[] {
  return duplicates(items, (item) => String(item[field])).map((d) => ({
    path: `lab:${list}[${d.index}].${field}`,
    message: `duplicate ${what(d.value)} (also lab:${list}[${d.first}])`,
  }));
}

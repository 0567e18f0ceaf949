/** The values the stack hands to k3s's helm-controller (`valuesContent`), parsed and walked. */
import * as yaml from "js-yaml";
import { TYPES } from "./types";

export const HELM_VALUES_TYPES = [TYPES.helmChart, TYPES.helmChartConfig] as const;

export type ParsedValues = { values: unknown; error?: undefined } | { values?: undefined; error: string };

/** `spec.valuesContent` as data; an absent or empty one is an empty map. */
export function parseValuesContent(props: Record<string, any>): ParsedValues {
  const text = props.spec?.valuesContent;
  if (text === undefined || text === null || text === "") return { values: {} };
  if (typeof text !== "string") return { error: "spec.valuesContent is not a string" };
  try {
    return { values: yaml.load(text) ?? {} };
  } catch (error) {
    return { error: `spec.valuesContent is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
}

export interface ValueVisit {
  /** Dotted path, e.g. `grafana.resources` or `extraContainers[0].image`. */
  readonly path: string;
  /** The map key (or the index, as a string, inside lists). */
  readonly key: string;
  readonly value: unknown;
}

/** Every key/value below `root`, depth first. */
export function walkValues(root: unknown, visit: (v: ValueVisit) => void, prefix = ""): void {
  if (Array.isArray(root)) {
    root.forEach((value, i) => {
      const path = `${prefix}[${i}]`;
      visit({ path, key: String(i), value });
      walkValues(value, visit, path);
    });
  } else if (typeof root === "object" && root !== null) {
    for (const [key, value] of Object.entries(root)) {
      const path = prefix ? `${prefix}.${key}` : key;
      visit({ path, key, value });
      walkValues(value, visit, path);
    }
  }
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

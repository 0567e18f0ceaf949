/**
 * Raw stack config (`lab:<key>` -> value) to a typed LabConfig. Each section parses on its own; the
 * result holds the sections that parsed and a problem for every issue in those that did not.
 */
import { z } from "zod";
import { configPath, type ConfigProblem } from "./problems";
import { configSections, type ConfigSectionName, type LabConfig } from "./schema";

export const CONFIG_NAMESPACE = "lab";

export interface ParsedConfig {
  readonly sections: Partial<LabConfig>;
  readonly problems: ConfigProblem[];
}

function zodProblems(section: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [section, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: configPath([...base, key]), message: "unknown config key" }));
    }
    return [{ path: configPath(base), message: issue.message }];
  });
}

/**
 * @param raw values keyed by bare section name (`cluster`) or namespaced (`lab:cluster`).
 */
export function parseConfig(raw: Record<string, unknown>): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [CONFIG_NAMESPACE, key];
    if (namespace !== CONFIG_NAMESPACE) continue; // provider config such as kubernetes:* is not ours
    if (!(name in configSections)) {
      problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: `unknown config key (known: ${Object.keys(configSections).join(", ")})` });
      continue;
    }
    values.set(name, value);
  }
  const sections: Partial<Record<ConfigSectionName, unknown>> = {};
  for (const name of Object.keys(configSections) as ConfigSectionName[]) {
    const value = values.get(name);
    const result = (configSections[name] as z.ZodType).safeParse(value);
    if (result.success) sections[name] = result.data;
    else if (value === undefined) problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: "required config key is missing" });
    else problems.push(...zodProblems(name, result.error));
  }
  return { sections: sections as Partial<LabConfig>, problems };
}

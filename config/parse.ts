/**
 * Raw stack config (`lab:<key>` -> value) to a typed LabConfig. Each section parses on its own; the
 * result holds the sections that parsed and a problem for every issue in those that did not.
 */
import { z } from "zod";
import { configPath, keyPath, type ConfigProblem } from "./problems";
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

function isSection(name: string): name is ConfigSectionName {
  return Object.hasOwn(configSections, name);
}

/** Paths below `value` of every own "__proto__" key (depth is bounded by the stack-file reader). */
function protoKeyPaths(value: unknown, path: readonly (string | number)[]): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const found: (string | number)[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === "__proto__") found.push(at);
    else found.push(...protoKeyPaths(child, at));
  }
  return found;
}

/**
 * @param raw values keyed by bare section name (`cluster`) or namespaced (`lab:cluster`). Only own
 *   properties are read and every section is looked up with Object.hasOwn, so `lab:toString` or
 *   `lab:__proto__` are unknown keys, never inherited members. Pulumi's nested-key form
 *   (`lab:teams:legacy`) is not a section and is refused, as is a section given twice
 *   (`teams` and `lab:teams`).
 */
export function parseConfig(raw: Record<string, unknown>): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const values = new Map<ConfigSectionName, { key: string; value: unknown }>();
  const ambiguous = new Set<ConfigSectionName>();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { sections: {}, problems: [{ path: CONFIG_NAMESPACE, message: "the stack config must be a map of lab:<key> values" }] };
  }
  const known = Object.keys(configSections).join(", ");
  for (const key of Object.keys(raw)) {
    const colon = key.indexOf(":");
    const namespace = colon < 0 ? CONFIG_NAMESPACE : key.slice(0, colon);
    const name = colon < 0 ? key : key.slice(colon + 1);
    if (namespace !== CONFIG_NAMESPACE) continue; // provider config such as kubernetes:* is not ours
    if (name.includes(":")) {
      const section = name.slice(0, name.indexOf(":"));
      const hint = isSection(section) ? `; set ${CONFIG_NAMESPACE}:${section} as one value` : "";
      problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: `unknown config key: nested keys are not config sections${hint} (known: ${known})` });
      continue;
    }
    if (!isSection(name)) {
      problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: `unknown config key (known: ${known})` });
      continue;
    }
    const earlier = values.get(name);
    if (earlier) {
      problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: `given twice (as "${earlier.key}" and "${key}")` });
      ambiguous.add(name);
      continue;
    }
    values.set(name, { key, value: raw[key] });
  }
  const sections: Partial<Record<ConfigSectionName, unknown>> = {};
  for (const name of Object.keys(configSections) as ConfigSectionName[]) {
    // Neither of two values is the section: leave it out, so no cross-check reads an arbitrary one.
    if (ambiguous.has(name)) continue;
    const value = values.get(name)?.value;
    const result = (configSections[name] as z.ZodType).safeParse(value);
    if (result.success) sections[name] = result.data;
    else if (value === undefined) problems.push({ path: `${CONFIG_NAMESPACE}:${name}`, message: "required config key is missing" });
    else problems.push(...zodProblems(name, result.error));
    // zod's record() drops a "__proto__" key without a word; a key no schema knows must be refused.
    for (const path of protoKeyPaths(value, [])) {
      const problem = { path: keyPath(`${CONFIG_NAMESPACE}:${name}`, path), message: "unknown config key" };
      if (!problems.some((p) => p.path === problem.path)) problems.push(problem);
    }
  }
  return { sections: sections as Partial<LabConfig>, problems };
}

/** Config problems: every one carries the config path it is about, e.g. `lab:teams[2].quota.cpu`. */

export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Renders a path of keys and indexes below a `lab:` key: ["teams", 2, "quota"] -> lab:teams[2].quota */
export function configPath(segments: readonly PropertyKey[]): string {
  return keyPath(`lab:${String(segments[0])}`, segments.slice(1));
}

/** Renders a path below a config key as written: ("lab:teams", [2, "quota"]) -> lab:teams[2].quota */
export function keyPath(key: string, segments: readonly PropertyKey[]): string {
  let out = key;
  for (const segment of segments) {
    out += typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`;
  }
  return out;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.path}: ${problem.message}`;
}

/** Thrown before any resource is registered; its message lists every problem on its own line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`invalid lab config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(formatProblem).join("\n")}`);
    this.name = "ConfigError";
  }
}

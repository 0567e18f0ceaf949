/** Config problems: every one carries the config path it is about, e.g. `lab:teams[2].quota.cpu`. */

export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Renders a path of keys and indexes below a `lab:` key: ["teams", 2, "quota"] -> lab:teams[2].quota */
export function configPath(segments: readonly PropertyKey[]): string {
  let out = `lab:${String(segments[0])}`;
  for (const segment of segments.slice(1)) {
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

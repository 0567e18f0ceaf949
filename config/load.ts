/** Raw stack config -> LabModel, or a ConfigError that lists every problem with its path. */
import { runCrossChecks } from "./checks";
import { buildModel, type BuildOptions, type LabModel } from "./model";
import { parseConfig } from "./parse";
import { ConfigError, type ConfigProblem } from "./problems";
import type { LabConfig } from "./schema";

export interface LoadResult {
  readonly model?: LabModel;
  readonly config?: LabConfig;
  readonly problems: readonly ConfigProblem[];
}

/**
 * Validates without throwing; `model` is set only when there is no problem at all.
 * @param options.at the instant the model describes (ms since the epoch); see buildModel.
 */
export function validateConfig(raw: Record<string, unknown>, stack: string, options: BuildOptions = {}): LoadResult {
  try {
    const { sections, problems } = parseConfig(raw);
    problems.push(...runCrossChecks(sections));
    if (problems.length > 0) return { problems };
    const config = sections as LabConfig;
    return { config, model: buildModel(config, stack, options), problems };
  } catch (error) {
    // Last resort, so that bad input never ends in a stack trace; the fuzz tests assert it is never reached.
    return { problems: [{ path: "lab", message: `${INTERNAL_ERROR}: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** Message prefix of a validation that threw instead of reporting problems (a bug). */
export const INTERNAL_ERROR = "the config could not be validated (internal error)";

export function loadLabModel(raw: Record<string, unknown>, stack: string, options: BuildOptions = {}): LabModel {
  const result = validateConfig(raw, stack, options);
  if (!result.model) throw new ConfigError(result.problems);
  return result.model;
}

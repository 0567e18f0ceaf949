/**
 * The offline plan's input check, with no Pulumi SDK loaded: read the stack file within bounds,
 * validate it at an instant, and check the SSH key file. The CLI runs it before loading the SDK (bad
 * input fails fast, with paths only); runPlan runs it for callers that skip the CLI.
 */
import { keyFileProblems } from "../../config/key-file";
import { validateConfig, type LoadResult } from "../../config/load";
import { ConfigError, type ConfigProblem } from "../../config/problems";
import { readStackFile, type StackFile } from "./stack-file";

export type CheckedStack = { readonly ok: true; readonly stackFile: StackFile; readonly validation: LoadResult } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** `at`: the instant the lab is validated for (ms since the epoch; its leases applied). */
export function checkStack(configFile: string, stack: string, at: number): CheckedStack {
  let stackFile: StackFile;
  try {
    stackFile = readStackFile(configFile);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems };
    throw error;
  }
  const validation = validateConfig(stackFile.raw, stack, { at });
  if (validation.problems.length > 0) return { ok: false, problems: validation.problems };
  const keyProblems = keyFileProblems(stackFile.raw);
  if (keyProblems.length > 0) return { ok: false, problems: keyProblems };
  return { ok: true, stackFile, validation };
}

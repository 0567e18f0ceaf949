/** Config fixtures: the committed stack files and small mutations of them. */
import * as path from "node:path";
import { readStackFile } from "../../tools/plan/stack-file";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const EXAMPLE_STACK = path.join(REPO_ROOT, "Pulumi.lab.yaml");

/** `lab:*` values of a stack file, decoded. Defaults to the example lab. */
export function loadStackConfig(file = EXAMPLE_STACK): Record<string, unknown> {
  return readStackFile(path.isAbsolute(file) ? file : path.join(REPO_ROOT, file)).raw;
}

/** A deep copy of `raw` changed by `change`, so each test mutates its own fixture. */
export function withChanges(raw: Record<string, unknown>, change: (config: any) => void): Record<string, unknown> {
  const copy = structuredClone(raw);
  change(copy);
  return copy;
}

/**
 * An instant outside the example's lease (2027-01-11 to 2027-01-25), for tests whose expectations
 * assume the home assignment: with it they do not change meaning on the day the lease starts.
 */
export const HOME_ASSIGNMENT = { at: Date.parse("2026-12-01T00:00:00Z") } as const;

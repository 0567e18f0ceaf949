/** Command-line parsing shared by the operational CLIs: string options, --help, usage on errors (exit 64). */
import { parseArgs } from "node:util";

export type CommandLine =
  | { readonly values: Readonly<Partial<Record<string, string>>>; readonly lists: Readonly<Record<string, readonly string[]>> }
  | { readonly exit: number };

/**
 * Parsed `--name value` options, or the exit code when the command should stop here (help: 0, bad
 * usage: `usageExit`, 64 unless the command documents another). Options named in `repeatable` may
 * be given several times; their values are in `lists` (empty when absent). Options named in `flags`
 * take no value; a given flag reads as "true" in `values`.
 */
export function parseCommandLine(names: readonly string[], usage: string, args?: string[], usageExit = 64, repeatable: readonly string[] = [], flags: readonly string[] = []): CommandLine {
  try {
    const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {};
    for (const n of names) options[n] = { type: "string" };
    for (const n of repeatable) options[n] = { type: "string", multiple: true };
    for (const n of flags) options[n] = { type: "boolean" };
    const { values } = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true });
    const all = values as Record<string, string | string[] | boolean | undefined>;
    if (all.help) {
      console.log(usage);
      return { exit: 0 };
    }
    const lists = Object.fromEntries(repeatable.map((n) => [n, (all[n] as string[] | undefined) ?? []]));
    const single = Object.fromEntries([...names, ...flags].filter((n) => all[n] !== undefined && all[n] !== false).map((n) => [n, String(all[n])]));
    return { values: single, lists };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return { exit: usageExit };
  }
}

/** An error class a command reports as its message alone (an expected failure, not a bug). */
export type ExpectedError = abstract new (...args: never[]) => Error;

/**
 * Runs a command's `main` and exits with its code. An error of one of the `expected` classes (the
 * cluster or the metrics store failed) prints its message and exits 2; anything else is a bug:
 * its stack and exit 3.
 */
export function runMain(main: () => Promise<number>, expected: readonly ExpectedError[] = []): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (expected.some((kind) => error instanceof kind)) {
        console.error((error as Error).message);
        process.exit(2);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(3);
    },
  );
}

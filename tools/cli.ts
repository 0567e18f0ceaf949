/** Command-line parsing shared by the operational CLIs: string options, --help, usage on errors (exit 64). */
import { parseArgs } from "node:util";

export type CommandLine = { readonly values: Readonly<Partial<Record<string, string>>> } | { readonly exit: number };

/**
 * Parsed `--name value` options, or the exit code when the command should stop here (help: 0, bad
 * usage: `usageExit`, 64 unless the command documents another).
 */
export function parseCommandLine(names: readonly string[], usage: string, args?: string[], usageExit = 64): CommandLine {
  try {
    const options = Object.fromEntries(names.map((n) => [n, { type: "string" as const }]));
    const { values } = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      console.log(usage);
      return { exit: 0 };
    }
    return { values: values as Partial<Record<string, string>> };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return { exit: usageExit };
  }
}

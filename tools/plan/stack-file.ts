/**
 * Stack files for the tools: `config/stack-file.ts` reads them within bounds; here a refusal becomes
 * a thrown ConfigError (every problem as `path: message`), and `secure:` leaves get stand-ins their
 * fields accept (config/secure.ts), so an offline plan validates and plans the rest of the config.
 */
import { withSecureStandIns } from "../../config/secure";
import { ConfigError } from "../../config/problems";
import { secretNameProblems } from "../../config/secret-names";
import { parseStackText as parseBounded, readStackFile as readBounded, type Read, type StackFile } from "../../config/stack-file";

export { SECURE_PLACEHOLDER, type StackFile } from "../../config/stack-file";

function unwrap(read: Read<StackFile>): StackFile {
  if (!read.ok) throw new ConfigError(read.problems);
  const secretNames = secretNameProblems(read.value.secureLeaves);
  if (secretNames.length > 0) throw new ConfigError(secretNames);
  return withSecureStandIns(read.value);
}

/** Parses stack-file text; throws a ConfigError naming `source` when it is malformed. */
export function parseStackText(text: string, source: string): StackFile {
  return unwrap(parseBounded(text, source));
}

/** Reads a stack file; throws a ConfigError naming the file when it is missing, too big or malformed. */
export function readStackFile(file: string): StackFile {
  return unwrap(readBounded(file));
}

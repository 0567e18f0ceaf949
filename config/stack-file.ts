/**
 * Reads a `Pulumi.<stack>.yaml`-shaped file into the `lab:` key -> value map the loader validates,
 * bounded so that no input can exhaust the process: the file must be a regular file of at most
 * MAX_STACK_FILE_BYTES, YAML is parsed with js-yaml 4.1.0's CORE_SCHEMA (no custom tags, no merge
 * keys, one document, unique keys), and the decoded value may not nest deeper than MAX_DEPTH nor
 * expand (aliases counted at every use) to more than MAX_VALUES values or MAX_EXPANDED_CHARS characters
 * of text. Every refusal is a
 * ConfigProblem naming the file (and the line, for syntax errors) or the config path.
 *
 * `secure:` leaves (values set with `pulumi config set --secret`) cannot be decrypted offline; each
 * is replaced by a stand-in that its field's grammar accepts (see `secureStandIn`), and its path is
 * kept so the program can treat the value as a secret.
 */
import * as fs from "node:fs";
import * as yaml from "js-yaml";
import { keyPath, type ConfigProblem } from "./problems";

/** Largest stack file: a 1000-node lab is about 150 KiB. js-yaml parses 512 KiB in ~0.1 s. */
export const MAX_STACK_FILE_BYTES = 512 * 1024;
/** Deepest nesting of the decoded config: the schema's deepest leaf is 6 levels down. */
export const MAX_DEPTH = 32;
/** Most values (every map, list and scalar, aliases counted at each use) the decoded config may hold. */
export const MAX_VALUES = 100_000;
/** Most uses of an aliased map or list: a stack config has no reason for more. */
export const MAX_ALIAS_USES = 100;
/**
 * Most characters of all strings (keys and scalars) the decoded config may hold, aliases counted at
 * every use: without aliases this is at most the file size, so only an alias of a long scalar used
 * many times (which would expand into one huge JSON text) can exceed it.
 */
export const MAX_EXPANDED_CHARS = 2 * MAX_STACK_FILE_BYTES;

export type ConfigPathSegment = string | number;

/** A `secure:` leaf: its top-level key (`lab:ssh`) and the path below it. */
export interface SecureLeaf {
  readonly key: string;
  readonly path: readonly ConfigPathSegment[];
}

export interface StackFile {
  /** `lab:cluster` -> JSON text (objects) or the plain string, as `pulumi.runtime.setAllConfig` wants. */
  readonly config: Record<string, string>;
  /** Keys holding a `secure:` value somewhere inside; they are passed to the runtime as secret. */
  readonly secretKeys: string[];
  /** The same values decoded, for direct validation. */
  readonly raw: Record<string, unknown>;
  /** Every `secure:` leaf. */
  readonly secureLeaves: readonly SecureLeaf[];
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: ConfigProblem[] };

/** The file's bytes, when it is a regular file of at most `limit` bytes; never blocks on a FIFO or device. */
export function readRegularFile(file: string, limit: number, pathName: string): Read<Buffer> {
  const fail = (message: string): Read<Buffer> => ({ ok: false, problems: [{ path: pathName, message }] });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? `${file} does not exist` : `${file} cannot be read (${code ?? "error"})`);
  }
  if (!stat.isFile()) return fail(`${file} is not a regular file`);
  if (stat.size > limit) return fail(`${file} is ${stat.size} bytes; at most ${limit} are accepted`);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, open does not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) return fail(`${file} is not a regular file`);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) return fail(`${file} is larger than ${limit} bytes`);
    }
    return { ok: true, value: buffer.subarray(0, length) };
  } catch (error) {
    return fail(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Why the decoded YAML value is too big or too deep, or undefined. Walks with a budget, so an alias
 * bomb (a small DAG that expands exponentially) is refused after MAX_VALUES steps, not expanded.
 */
export function boundsProblem(root: unknown): string | undefined {
  let values = 0;
  const uses = new Map<object, number>();
  let aliasUses = 0;
  let chars = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (++values > MAX_VALUES) return `holds more than ${MAX_VALUES} values (YAML aliases are counted at every use)`;
    if (typeof value === "string") {
      if (value.length > MAX_STACK_FILE_BYTES) return "holds a string longer than the file limit";
      chars += value.length;
    }
    if (chars > MAX_EXPANDED_CHARS) return `expands to more than ${MAX_EXPANDED_CHARS} characters of text (YAML aliases are counted at every use)`;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
    const seen = uses.get(value) ?? 0;
    uses.set(value, seen + 1);
    if (seen > 0 && ++aliasUses > MAX_ALIAS_USES) return `uses YAML aliases more than ${MAX_ALIAS_USES} times`;
    for (const [key, child] of Object.entries(value)) {
      chars += key.length;
      stack.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}

function isSecure(value: unknown): value is { secure: string } {
  return isPlainMap(value) && Object.keys(value).length === 1 && Object.hasOwn(value, "secure");
}

/**
 * Replaces `secure:` leaves with `placeholder(path)` and records their paths. Also copies every map
 * into a fresh object, so the result is plain JSON data whatever js-yaml returned.
 */
function stripSecure(
  value: unknown,
  path: ConfigPathSegment[],
  found: ConfigPathSegment[][],
  problems: ConfigProblem[],
  placeholder: string,
): unknown {
  if (isSecure(value)) {
    if (typeof value.secure !== "string") problems.push({ path: keyPath(String(path[0]), path.slice(1)), message: "secure: must be the ciphertext string pulumi wrote" });
    found.push([...path]);
    return placeholder;
  }
  if (Array.isArray(value)) return value.map((v, i) => stripSecure(v, [...path, i], found, problems, placeholder));
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // defineProperty: a "__proto__" key stays an ordinary (unknown) key, never a prototype.
      Object.defineProperty(out, key, { value: stripSecure(value[key], [...path, key], found, problems, placeholder), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** What a `secure:` leaf reads as before a stand-in is chosen. */
export const SECURE_PLACEHOLDER = "[secure value: not decryptable offline]";

/** Parses stack-file text. `source` names the file in problems. */
export function parseStackText(text: string, source: string): Read<StackFile> {
  const fail = (message: string): Read<StackFile> => ({ ok: false, problems: [{ path: source, message }] });
  if (text.length > MAX_STACK_FILE_BYTES) return fail(`is larger than ${MAX_STACK_FILE_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: source });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const mark = error.mark ? `:${error.mark.line + 1}:${error.mark.column + 1}` : "";
      return { ok: false, problems: [{ path: `${source}${mark}`, message: `invalid YAML: ${error.reason}` }] };
    }
    if (error instanceof RangeError) return fail(`nests too deeply to parse (more than ${MAX_DEPTH} levels are refused)`);
    throw error;
  }
  if (doc === undefined || doc === null) return fail('is empty; expected a map with a top-level "config:" map');
  if (!isPlainMap(doc)) return fail(`must be a map with a top-level "config:" map (found ${describe(doc)})`);
  const bounds = boundsProblem(doc);
  if (bounds) return fail(bounds);
  if (!Object.hasOwn(doc, "config")) return fail('has no top-level "config:" map');
  const configValue = doc.config;
  if (!isPlainMap(configValue)) return { ok: false, problems: [{ path: `${source}: config`, message: `must be a map of "lab:<key>" values (found ${describe(configValue)})` }] };

  const config: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  const secureLeaves: SecureLeaf[] = [];
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(configValue)) {
    const found: ConfigPathSegment[][] = [];
    const value = stripSecure(configValue[key], [key], found, problems, SECURE_PLACEHOLDER);
    Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(config, key, { value: typeof value === "string" ? value : JSON.stringify(value), enumerable: true, writable: true, configurable: true });
    if (found.length > 0) secretKeys.push(key);
    secureLeaves.push(...found.map((path) => ({ key, path: path.slice(1) })));
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { config, secretKeys, raw, secureLeaves } };
}

/** Reads and parses a stack file within the bounds above. */
export function readStackFile(file: string): Read<StackFile> {
  const bytes = readRegularFile(file, MAX_STACK_FILE_BYTES, file);
  if (!bytes.ok) return bytes;
  return parseStackText(bytes.value.toString("utf8"), file);
}

/**
 * Metric names a PromQL expression reads, found with a small tokenizer instead of regexes over the
 * text: label names inside `{}`, grouping lists (`by (...)`, `on (...)`, `group_left(...)`), function
 * names, keywords, strings, numbers and durations are not metric names.
 */

export type TokenKind = "ident" | "string" | "number" | "duration" | "punct" | "op";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const KEYWORDS = new Set([
  "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan",
]);
const GROUPING = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);

const IDENT = /[A-Za-z_:][A-Za-z0-9_:]*/y;
const DURATION = /(?:\d+(?:ms|s|m|h|d|w|y))+/y;
const NUMBER = /(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/y;
const OPS = ["==", "!=", ">=", "<=", "=~", "!~", "+", "-", "*", "/", "%", "^", "<", ">", "="];

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

/** Splits PromQL into tokens; throws on a character that cannot start a token. */
export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === "\\" && c !== "`" ? 2 : 1;
      if (j >= expr.length) throw new Error(`unterminated string at ${i} in: ${expr}`);
      tokens.push({ kind: "string", text: expr.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    // A colon is punctuation only in a subquery (`[5m:1m]`); elsewhere it is part of a recorded name.
    if ("(){}[],@".includes(c) || (c === ":" && tokens.at(-1)?.kind === "duration")) {
      tokens.push({ kind: "punct", text: c });
      i++;
      continue;
    }
    const duration = /\d/.test(c) ? matchAt(DURATION, expr, i) : undefined;
    if (duration && !/[A-Za-z0-9_.]/.test(expr[i + duration.length] ?? "")) {
      tokens.push({ kind: "duration", text: duration });
      i += duration.length;
      continue;
    }
    const number = matchAt(NUMBER, expr, i);
    if (number && /[0-9.]/.test(c)) {
      tokens.push({ kind: "number", text: number });
      i += number.length;
      continue;
    }
    const ident = matchAt(IDENT, expr, i);
    if (ident) {
      tokens.push({ kind: "ident", text: ident });
      i += ident.length;
      continue;
    }
    const op = OPS.find((o) => expr.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", text: op });
      i += op.length;
      continue;
    }
    throw new Error(`unexpected "${c}" at ${i} in: ${expr}`);
  }
  return tokens;
}

/** Index just past the bracket that closes the one at `open`. */
function skipBalanced(tokens: readonly Token[], open: number): number {
  const pairs: Record<string, string> = { "(": ")", "{": "}", "[": "]" };
  const close = pairs[tokens[open].text];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === tokens[open].text && tokens[i].kind === "punct") depth++;
    else if (tokens[i].text === close && tokens[i].kind === "punct") depth--;
    if (depth === 0) return i + 1;
  }
  throw new Error(`unbalanced "${tokens[open].text}"`);
}

export interface MetricNames {
  /** Exact metric names: bare selectors and `{__name__="..."}`. */
  readonly names: string[];
  /** `{__name__=~"..."}` regexes, which name families rather than single metrics. */
  readonly patterns: string[];
}

/** Every metric an expression selects, sorted and unique. */
export function extractMetricNames(expr: string): MetricNames {
  const tokens = tokenize(expr);
  const names = new Set<string>();
  const patterns = new Set<string>();
  const readMatchers = (open: number): number => {
    const end = skipBalanced(tokens, open);
    for (let i = open + 1; i < end - 1; i++) {
      if (tokens[i].kind === "ident" && tokens[i].text === "__name__" && tokens[i + 2]?.kind === "string") {
        if (tokens[i + 1].text === "=") names.add(tokens[i + 2].text);
        else if (tokens[i + 1].text === "=~") patterns.add(tokens[i + 2].text);
      }
    }
    return end;
  };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind === "punct" && t.text === "{") {
      i = readMatchers(i);
      continue;
    }
    if (t.kind === "punct" && t.text === "[") {
      i = skipBalanced(tokens, i); // range or subquery: durations only
      continue;
    }
    if (t.kind === "ident" && GROUPING.has(t.text)) {
      i = next?.text === "(" ? skipBalanced(tokens, i + 1) : i + 1;
      continue;
    }
    // Functions and aggregations are followed by `(`, or by a grouping clause (`sum by (x) (...)`);
    // `@ start()` / `@ end()` are functions. Any other identifier outside braces is a metric.
    const aggregation = next?.kind === "ident" && (next.text === "by" || next.text === "without");
    if (t.kind === "ident" && !KEYWORDS.has(t.text) && next?.text !== "(" && !aggregation) {
      names.add(t.text);
    }
    i++;
  }
  return { names: [...names].sort(), patterns: [...patterns].sort() };
}

/**
 * Small builders of CEL text for the admission policies. Every value placed into CEL comes from the
 * validated model (DNS labels, label keys) and is still emitted as a quoted, escaped string literal,
 * never spliced in as code. Only core CEL is used (has(), in, all(), exists(), startsWith(), size()),
 * so the policies evaluate the same offline (@bufbuild/cel, conformance-tested against cel-spec) and
 * in the API server.
 */

/** A CEL string literal. */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`;
}

/** A CEL list of string literals. */
export function celList(values: readonly string[]): string {
  return `[${values.map(celString).join(", ")}]`;
}

/** CEL: `<obj>.metadata.<field>` has key `<key>` (a CEL expression of type string). */
export function hasMetaKey(obj: string, field: "labels" | "annotations", key: string): string {
  return `(has(${obj}.metadata.${field}) && ${key} in ${obj}.metadata.${field})`;
}

/**
 * CEL: for every key of `keysExpr` (a CEL list of strings bound to `k`), presence and value in
 * `object.metadata.<field>` equal those in `oldObject.metadata.<field>`.
 */
export function metaKeysUnchanged(field: "labels" | "annotations", keysExpr: string): string {
  const now = hasMetaKey("object", field, "k");
  const before = hasMetaKey("oldObject", field, "k");
  return `${keysExpr}.all(k, ${now} == ${before} && (!${now} || object.metadata.${field}[k] == oldObject.metadata.${field}[k]))`;
}

/**
 * CEL: no key of `<obj>.metadata.<field>` for which `matches(key)` (a CEL condition on the key
 * expression) holds was added, removed or changed between oldObject and object (keys looked up on
 * both sides). Only for UPDATE requests: oldObject is null on CREATE.
 */
export function metaKeysWhereUnchanged(field: "labels" | "annotations", matches: (key: string) => string): string {
  const side = (a: string, b: string) =>
    `(!has(${a}.metadata.${field}) || ${a}.metadata.${field}.all(k, !(${matches("k")}) || ` +
    `(has(${b}.metadata.${field}) && k in ${b}.metadata.${field} && ${b}.metadata.${field}[k] == ${a}.metadata.${field}[k])))`;
  return `${side("object", "oldObject")} && ${side("oldObject", "object")}`;
}

/**
 * CEL: no key of `<obj>.metadata.<field>` starting with one of `prefixes` was added, removed or
 * changed between oldObject and object (keys looked up on both sides).
 */
export function metaPrefixesUnchanged(field: "labels" | "annotations", prefixes: readonly string[]): string {
  return metaKeysWhereUnchanged(field, (key) => `${celList(prefixes)}.exists(p, ${key}.startsWith(p))`);
}

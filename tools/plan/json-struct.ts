/**
 * Registration requests without their protobuf copy, for runs under mocks (the plan and the tests).
 *
 * The SDK turns every registration's serialized inputs into a `google.protobuf.Struct`
 * (@pulumi/pulumi 3.248.0 runtime/resource.js `registerResource`: `Struct.fromJavaScript(
 * resop.serializedProps)`), then awaits more before it calls the monitor. The mock monitor turns the
 * Struct straight back into JSON (`toJavaScript`). google-protobuf 3.21.4 keeps a Struct as one
 * `Value` message per JSON value, each with its own array, wrapper map and oneof bookkeeping: about
 * five times the JSON. When one resource gates many (the calibration CronJobs wait for their
 * namespace), all of them pass that point in one run of microtasks, so at 1000 nodes about 1000
 * Structs of 28 KB CronJobs were alive at once: 0.3 GiB of the plan's peak heap (sampling heap
 * profile at the peak; see docs/performance.md).
 *
 * Under mocks nothing reads those Structs but the mock monitor and the SDK's own mock responses. So
 * `Struct.fromJavaScript` here checks the value exactly as protobuf does (the same error for a type a
 * Struct cannot hold) and keeps the JSON; `toJavaScript()` returns what the protobuf round trip
 * returns: a fresh copy, keys in sorted order (google-protobuf's map `forEach` sorts them), every
 * object read with `for…in`. Any other method (`getFieldsMap`, `serializeBinary`, …) first builds the
 * real Struct, so the object behaves as one. The SDK serializes the inputs afresh for each request
 * and never changes them after, so keeping a reference instead of a copy is safe.
 */
import * as path from "node:path";

interface StructClass {
  new (): StructInstance;
  fromJavaScript(value: Record<string, unknown>): StructInstance;
  prototype: StructInstance;
}
interface StructInstance {
  toJavaScript(): Record<string, unknown>;
}

/** The google-protobuf Struct the SDK itself loads (resolved from @pulumi/pulumi's folder). */
function sdkStructClass(): StructClass {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const file = require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths: [sdkDir] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { Struct: StructClass }).Struct;
}

/** google-protobuf's `goog.typeOf` for the values a Struct can hold, or undefined for any other. */
function structKind(value: unknown): "scalar" | "null" | "array" | "object" | undefined {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return "scalar";
    case "object":
      return "object";
    default:
      return undefined;
  }
}

/** Throws as `Value.fromJavaScript` does for a value a Struct cannot hold; allocates nothing. */
function assertStructValue(value: unknown): void {
  const kind = structKind(value);
  if (kind === undefined) throw new Error("Unexpected struct type.");
  if (kind === "array") for (const item of value as unknown[]) assertStructValue(item);
  // eslint-disable-next-line guard-for-in -- protobuf reads inherited enumerable properties too
  if (kind === "object") for (const key in value as object) assertStructValue((value as Record<string, unknown>)[key]);
}

/** What `Value.fromJavaScript(value).toJavaScript()` returns, without building the Value. */
function valueRoundTrip(value: unknown): unknown {
  switch (structKind(value)) {
    case "array":
      return (value as unknown[]).map(valueRoundTrip);
    case "object":
      return structRoundTrip(value as object);
    default:
      return value;
  }
}

/** What `Struct.fromJavaScript(value).toJavaScript()` returns, without building the Struct. */
export function structRoundTrip(value: object): Record<string, unknown> {
  const keys: string[] = [];
  // eslint-disable-next-line guard-for-in -- protobuf reads inherited enumerable properties too
  for (const key in value) keys.push(key);
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = valueRoundTrip((value as Record<string, unknown>)[key]);
  return out;
}

let installed = false;

/** Replaces `Struct.fromJavaScript` in this process with the JSON-keeping one (idempotent). */
export function useJsonStructs(): void {
  if (installed) return;
  installed = true;
  const Struct = sdkStructClass();
  const original = Struct.fromJavaScript;
  let keepJson: StructClass["fromJavaScript"];
  // protobuf builds nested Structs through the same static (Value.fromJavaScript calls
  // Struct.fromJavaScript by name): the real Struct needs the real one all the way down.
  const build = (value: Record<string, unknown>): StructInstance => {
    Struct.fromJavaScript = original;
    try {
      return original.call(Struct, value);
    } finally {
      Struct.fromJavaScript = keepJson;
    }
  };
  const json = new WeakMap<object, Record<string, unknown>>();

  const toArray = (Struct.prototype as unknown as { toArray(this: object): unknown[] }).toArray;
  /**
   * Builds the real Struct's state into `self`, once, the first time anything but toJavaScript or
   * toArray is called. In place: a request that holds this Struct (`setObject` keeps its `toArray()`)
   * holds the same array afterwards.
   */
  const materialize = (self: object): void => {
    const value = json.get(self);
    if (value === undefined) return;
    json.delete(self);
    const real = build(value) as unknown as Record<string, unknown>;
    const realArray = toArray.call(real);
    for (const key of Object.keys(real)) if (real[key] !== realArray) (self as Record<string, unknown>)[key] = real[key];
    const array = toArray.call(self);
    array.splice(0, array.length, ...realArray);
  };
  class JsonStruct extends Struct {
    override toJavaScript(): Record<string, unknown> {
      const value = json.get(this);
      return value === undefined ? super.toJavaScript() : structRoundTrip(value);
    }
  }
  const proto = JsonStruct.prototype as unknown as Record<string, unknown>;
  for (let level: object | null = Struct.prototype; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) {
      const method = (level as Record<string, unknown>)[name];
      // toArray (also under its compiled alias) hands the array to a holder; it stays the same array.
      if (name === "constructor" || method === toArray || typeof method !== "function" || Object.prototype.hasOwnProperty.call(proto, name)) continue;
      proto[name] = function (this: object, ...args: unknown[]) {
        materialize(this);
        return (method as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
  }
  keepJson = (value: Record<string, unknown>) => {
    // eslint-disable-next-line guard-for-in -- as protobuf's for…in
    for (const key in value) assertStructValue(value[key]);
    const struct = new JsonStruct();
    json.set(struct, value);
    return struct;
  };
  Struct.fromJavaScript = keepJson;
}

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
 * `Struct.fromJavaScript` here checks the value exactly as protobuf does (google-protobuf's own
 * `goog.typeOf`, lists read by index, the same 'Unexpected struct type.' at the same call) and keeps
 * the JSON; `toJavaScript()` returns what the protobuf round trip returns: a fresh copy, keys in
 * sorted order (google-protobuf's map `forEach` sorts them), every object read with `for…in`, a
 * `__proto__` key dropped (jspb.Map stores entries by assignment). Any other method (`getFieldsMap`,
 * `serializeBinary`, `cloneMessage`, …) first builds the real Struct in place, nested Structs real
 * too, and so does any read of its array, which `setObject` stores in the request unread (a Proxy:
 * the request's `cloneMessage`/`toArray` see the real array). The object is a Struct to
 * `constructor`, `instanceof` and `Message.equals`; only `Object.getPrototypeOf` tells (a subclass).
 * The SDK serializes the inputs afresh for each request and never changes them after, so keeping a
 * reference instead of a copy is safe; a caller that changed the value after `fromJavaScript` would
 * see the change, which protobuf's copy would not. test/plan/harness-fidelity.test.ts compares every
 * operation with the real Struct's.
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

/** The google-protobuf module and Struct the SDK itself loads (resolved from @pulumi/pulumi's folder). */
function sdkProtobuf(): { Struct: StructClass; typeOf(value: unknown): string } {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const paths = [sdkDir];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths })) as { Struct: StructClass };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { typeOf } = require(require.resolve("google-protobuf", { paths })) as { typeOf(value: unknown): string };
  return { Struct, typeOf };
}

const protobuf = sdkProtobuf();

/**
 * google-protobuf's own `goog.typeOf`, which `Value.fromJavaScript` switches on: an object that
 * inherits from Array is a list, a function without `call` is an object.
 */
const typeOf = protobuf.typeOf;

/** Throws as `Value.fromJavaScript` does for a value a Struct cannot hold; allocates nothing. */
function assertStructValue(value: unknown): void {
  switch (typeOf(value)) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return;
    case "array":
      // ListValue.fromJavaScript reads indexes up to length, holes included (they throw).
      for (let i = 0; i < (value as unknown[]).length; i++) assertStructValue((value as unknown[])[i]);
      return;
    case "object":
      // eslint-disable-next-line guard-for-in -- protobuf reads inherited enumerable properties too
      for (const key in value as object) assertStructValue((value as Record<string, unknown>)[key]);
      return;
    default:
      throw new Error("Unexpected struct type.");
  }
}

/** What `Value.fromJavaScript(value).toJavaScript()` returns, without building the Value. */
function valueRoundTrip(value: unknown): unknown {
  switch (typeOf(value)) {
    case "array": {
      const list: unknown[] = []; // a plain array, whatever the input's class (ListValue.toJavaScript)
      for (let i = 0; i < (value as unknown[]).length; i++) list[i] = valueRoundTrip((value as unknown[])[i]);
      return list;
    }
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
  for (const key in value) {
    // jspb.Map keeps entries as `map_[key] = entry`: for "__proto__" that sets map_'s prototype
    // instead, and the Struct has no such field (google-protobuf.js `Map.prototype.set`).
    if (key !== "__proto__") keys.push(key);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = valueRoundTrip((value as Record<string, unknown>)[key]);
  return out;
}

let installed = false;

/** Replaces `Struct.fromJavaScript` in this process with the JSON-keeping one (idempotent). */
export function useJsonStructs(): void {
  if (installed) return;
  installed = true;
  const { Struct } = protobuf;
  const sdkFromJavaScript = Struct.fromJavaScript;
  /** Each unmaterialised JsonStruct's JSON and the array behind its Proxy. */
  const json = new WeakMap<object, { readonly value: Record<string, unknown>; readonly array: unknown[] }>();
  const toArray = (Struct.prototype as unknown as { toArray(this: object): unknown[] }).toArray;
  // The field that holds a message's array (a compiled name): the one toArray() returns.
  const probe = new Struct() as unknown as Record<string, unknown>;
  const arrayField = Object.keys(probe).find((key) => probe[key] === toArray.call(probe));
  if (arrayField === undefined) throw new Error("json-struct: google-protobuf's message array field not found");

  /** The real Struct of `value`, nested Structs real too (Value.fromJavaScript calls Struct.fromJavaScript). */
  const buildReal = (value: Record<string, unknown>): Record<string, unknown> => {
    Struct.fromJavaScript = sdkFromJavaScript;
    try {
      return sdkFromJavaScript.call(Struct, value) as unknown as Record<string, unknown>;
    } finally {
      Struct.fromJavaScript = jsonFromJavaScript;
    }
  };
  /**
   * Builds the real Struct's state into `self`, once, the first time anything but toJavaScript is
   * called or its array is read. In place: the array a request took with `setObject` (toArray())
   * is filled, so the request holds the real array afterwards. Read as an array, it is what toArray()
   * would have returned: the map entries synced into it (Message.prototype.toArray syncs first).
   */
  const materialize = (self: Record<string, unknown>, readAsArray: boolean): void => {
    const state = json.get(self);
    if (state === undefined) return;
    json.delete(self);
    const real = buildReal(state.value);
    for (const key of Object.keys(real)) if (key !== arrayField) self[key] = real[key];
    state.array.splice(0, state.array.length, ...(real[arrayField] as unknown[]));
    if (readAsArray) toArray.call(self);
  };

  class JsonStruct extends Struct {}
  const proto = JsonStruct.prototype as unknown as Record<string, unknown>;
  // A JsonStruct is a Struct to every check: cloneMessage's `new msg.constructor`, Message.equals'
  // `instanceof b.constructor`, constructor.name (enumerable, as goog.inherits assigned it).
  Object.defineProperty(proto, "constructor", { ...Object.getOwnPropertyDescriptor(Struct.prototype, "constructor"), value: Struct });
  // Every method, in the order and with the enumerability the real prototype chain has (for…in over a
  // Struct lists them), materialises first; toJavaScript answers from the JSON while there is one.
  for (let level: object | null = Struct.prototype; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) {
      const descriptor = Object.getOwnPropertyDescriptor(level, name)!;
      const method = descriptor.value as unknown;
      if (name === "constructor" || typeof method !== "function" || Object.prototype.hasOwnProperty.call(proto, name)) continue;
      const wrapped =
        name === "toJavaScript"
          ? function (this: Record<string, unknown>) {
              const state = json.get(this);
              return state === undefined ? (method as () => unknown).call(this) : structRoundTrip(state.value);
            }
          : method === toArray
            ? // toArray (also under its compiled alias) only hands the array out: setObject stores it
              // in the request; the array materialises when read.
              function (this: Record<string, unknown>, ...args: unknown[]) {
                return (method as (...a: unknown[]) => unknown).apply(this, args);
              }
            : function (this: Record<string, unknown>, ...args: unknown[]) {
                materialize(this, false);
                return (method as (...a: unknown[]) => unknown).apply(this, args);
              };
      Object.defineProperty(proto, name, { ...descriptor, value: wrapped });
    }
  }

  /**
   * The array behind a JsonStruct: empty until first read, then the real Struct's. toArray() returns
   * it unread (setObject/setWrapperField only store it), and any read of it, even through the request
   * that stored it (cloneMessage, toArray, Message.equals), materialises the Struct first.
   */
  class MaterializingArray {
    constructor(readonly struct: Record<string, unknown>) {}
  }
  for (const trap of ["get", "set", "has", "ownKeys", "getOwnPropertyDescriptor", "defineProperty", "deleteProperty"] as const) {
    (MaterializingArray.prototype as unknown as Record<string, unknown>)[trap] = function (this: MaterializingArray, target: unknown[], ...args: unknown[]) {
      materialize(this.struct, true);
      return (Reflect[trap] as (...a: unknown[]) => unknown)(target, ...args);
    };
  }

  const jsonFromJavaScript = (value: Record<string, unknown>): StructInstance => {
    // eslint-disable-next-line guard-for-in -- as protobuf's for…in
    for (const key in value) assertStructValue(value[key]);
    const struct = new JsonStruct() as unknown as Record<string, unknown>;
    const array = struct[arrayField] as unknown[];
    json.set(struct, { value, array });
    struct[arrayField] = new Proxy(array, new MaterializingArray(struct) as ProxyHandler<unknown[]>);
    return struct as unknown as StructInstance;
  };
  Struct.fromJavaScript = jsonFromJavaScript;
}

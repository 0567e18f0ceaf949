/**
 * The plan's two memory savers against the SDK they stand in for (@pulumi/pulumi 3.248.0 and the
 * google-protobuf 3.21.4 it loads): every case runs the same program or value with the SDK's own code
 * and with the replacement, and expects what the SDK does.
 *
 * - Lazy output properties (tools/plan/lazy-outputs.ts, for runtime/rpc.js `transferProperties`):
 *   fixtures/fidelity-scenarios.ts runs small programs under the recorder in a child process per
 *   mode (a failed registration's unhandled rejections must not reach this worker), in an update and
 *   in a preview.
 * - JSON-keeping Structs (tools/plan/json-struct.ts, for struct_pb.js `Struct.fromJavaScript`): in
 *   this process, the SDK's function restored around each reference computation (it calls
 *   `Struct.fromJavaScript` again for nested objects).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useJsonStructs } from "../../tools/plan/json-struct";
import { REPO_ROOT } from "../harness/fixtures";
import { SCENARIO_NAMES } from "./fixtures/fidelity-scenarios";

const SCENARIOS = path.join(__dirname, "fixtures/fidelity-scenarios.ts");

/** One run of every scenario: its observations by name. */
function runScenarios(mode: "sdk" | "patched", preview: boolean): Promise<Map<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCENARIOS, mode, ...(preview ? ["preview"] : [])], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 25_000);
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      const observed = new Map<string, unknown>();
      for (const line of stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        const { name, ...rest } = JSON.parse(line) as { name: string };
        observed.set(name, rest);
      }
      if (observed.size === 0) reject(new Error(`fidelity-scenarios ${mode} printed nothing:\n${stderr}`));
      else resolve(observed);
    });
  });
}

for (const preview of [false, true]) {
  describe(`lazy output properties against the SDK's transferProperties (${preview ? "preview" : "update"})`, () => {
    let sdk: Map<string, unknown>;
    let patched: Map<string, unknown>;
    beforeAll(async () => {
      [sdk, patched] = await Promise.all([runScenarios("sdk", preview), runScenarios("patched", preview)]);
    }, 30_000);

    for (const name of SCENARIO_NAMES) {
      it(name, () => {
        expect(sdk.get(name)).toBeDefined();
        expect(patched.get(name)).toEqual(sdk.get(name));
      });
    }

    it("observes what the scenarios are about (the comparison is not between two empty runs)", () => {
      const failed = sdk.get("a mock that throws in newResource, properties never read") as { unhandled: string[] };
      // The SDK rejects every output of a failed registration, read or not: each surfaces unhandled.
      expect(failed.unhandled.length).toBeGreaterThan(0);
      expect(failed.unhandled.every((e) => e.includes("failed to register new resource broken2"))).toBe(true);
      const getter = sdk.get("an output property a subclass defines as a getter") as { unhandled: string[] };
      expect(getter.unhandled).toEqual(["TypeError: Cannot set property kind of #<WithGetter> which has only a getter"]);
      const late = sdk.get("apply ordering: read after the registration settled, beside an output read before") as { log: string[] };
      expect(late.log[0]).toBe("late status 2");
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Structs

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths: [sdkDir] })) as {
  Struct: { fromJavaScript(value: unknown): Message; prototype: object };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jspb = require(require.resolve("google-protobuf", { paths: [sdkDir] })) as { Message: { equals(a: unknown, b: unknown): boolean } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resproto = require("@pulumi/pulumi/proto/resource_pb") as { RegisterResourceRequest: new () => Message };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const provproto = require("@pulumi/pulumi/proto/provider_pb") as { InvokeResponse: new () => Message };

/** The jspb message members the comparisons call. */
interface Message {
  [method: string]: (...args: unknown[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const { Struct } = structPb;
/** How many real Structs were built (top-level and nested) since the last reset. */
let realStructsBuilt = 0;
const originalFromJavaScript = Struct.fromJavaScript;
Struct.fromJavaScript = function countingFromJavaScript(this: unknown, value: unknown) {
  realStructsBuilt++;
  return originalFromJavaScript.call(this, value);
};
const sdkFromJavaScript = Struct.fromJavaScript;
useJsonStructs();
const jsonFromJavaScript = Struct.fromJavaScript;

/** Runs `f` with the SDK's Struct.fromJavaScript in place (nested objects go through it too). */
function withSdk<T>(f: () => T): T {
  Struct.fromJavaScript = sdkFromJavaScript;
  try {
    return f();
  } finally {
    Struct.fromJavaScript = jsonFromJavaScript;
  }
}

/** JSON that keeps -0, NaN and ±Infinity apart and shows prototypes that are not Object's or Array's. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) return `#${v}`;
    if (Object.is(v, -0)) return "#-0";
    if (typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto !== Object.prototype) return { "#proto": proto === null ? "null" : String(proto.constructor?.name), ...v };
    }
    if (Array.isArray(v) && Object.getPrototypeOf(v) !== Array.prototype) return { "#array": (Object.getPrototypeOf(v) as object).constructor.name, items: [...v] };
    return v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v;
  });
}

/** What `op` observes of `Struct.fromJavaScript(make())`, or the error it throws, with the SDK's Struct or ours. */
function observeStruct(useSdk: boolean, make: () => unknown, op: (struct: Message) => unknown): string {
  const run = () => {
    try {
      return show(op(Struct.fromJavaScript(make())));
    } catch (error) {
      return `throws ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  return useSdk ? withSdk(run) : run();
}

class ArraySubclass extends Array<unknown> {}

/** Values a Struct is built from: the SDK's serialized JSON and what else JavaScript can hand it. */
const VALUES: Record<string, () => unknown> = {
  "nested JSON with -0, NaN, Infinity, nulls and empty lists": () => ({ b: 1, a: { d: [1, "x", null, true, { z: 1, y: [[]] }], c: -0 }, n: NaN, inf: -Infinity }),
  "inherited enumerable properties": () => Object.assign(Object.create({ inherited: 1 }), { own: 2 }),
  "an own __proto__ key holding an object (JSON.parse)": () => JSON.parse('{"__proto__": {"x": 1}, "a": 2}'),
  "an own __proto__ key holding a number": () => JSON.parse('{"__proto__": 5, "a": 2}'),
  "integer-like, empty and unicode keys": () => ({ 10: 1, 2: 2, b: 3, a: 4, "": 5, é: 6, Z: 7 }),
  "a Date, a Map, boxed primitives": () => ({ d: new Date(0), m: new Map([[1, 2]]), n: new Number(3), s: new String("s") }),
  "a null-prototype object": () => ({ a: Object.assign(Object.create(null), { k: 1 }) }),
  "an object that inherits from Array (goog.typeOf: a list)": () => ({ a: Object.create(Array.prototype) }),
  "an Array subclass with extra properties and its own iterator": () => {
    const a = new ArraySubclass();
    a.push(1, { k: 2 });
    Object.assign(a, { extra: 3, [Symbol.iterator]: function* () { yield undefined; } });
    return { a };
  },
  "a function without call (goog.typeOf: an object)": () => {
    const f = Object.assign(function named() {}, { k: 1 });
    Object.setPrototypeOf(f, null);
    return { f };
  },
  "a list with a hole": () => ({ a: [1, , 3] }), // eslint-disable-line no-sparse-arrays
  "undefined deep inside": () => ({ a: { b: [{ c: 1 }, { c: undefined }] } }),
  "a function": () => ({ a: 1, f: () => 1 }),
  "a symbol": () => ({ s: Symbol("s") }),
  "a bigint": () => ({ n: 1n }),
};

/** What a caller can do with a Struct, or with a request or response holding it. */
const OPERATIONS: Record<string, (struct: Message) => unknown> = {
  toJavaScript: (s) => s.toJavaScript(),
  "toJavaScript gives a fresh copy each time": (s) => {
    const first = s.toJavaScript();
    for (const key of Object.keys(first)) delete first[key];
    return s.toJavaScript();
  },
  serializeBinary: (s) => s.serializeBinary(),
  toObject: (s) => s.toObject(),
  "getFieldsMap entries and kinds": (s) => s.getFieldsMap().getEntryList().map(([k, v]: [string, Message]) => [k, v.getKindCase()]),
  "cloneMessage, serialized": (s) => s.cloneMessage().serializeBinary(),
  "toArray, before anything else": (s) => s.toArray(),
  "toArray after getFieldsMap": (s) => {
    s.getFieldsMap();
    return s.toArray();
  },
  "nested Structs cloned after materialising": (s) => {
    const nested: unknown[] = [];
    s.getFieldsMap().forEach((v: Message, k: string) => nested.push([k, v.getStructValue()?.cloneMessage().toArray()]));
    return nested;
  },
  "is a Struct: constructor, name, instanceof": (s) => [(s.constructor as unknown) === Struct, s.constructor.name, s instanceof (Struct as unknown as typeof Object)] as unknown[],
  "Message.equals against the SDK's Struct of the same value, both ways": (s) => {
    const sdkStruct = withSdk(() => Struct.fromJavaScript(s.toJavaScript()));
    return [jspb.Message.equals(s, sdkStruct), jspb.Message.equals(sdkStruct, s)];
  },
  "for…in over the Struct": (s) => {
    const keys: string[] = [];
    for (const key in s) keys.push(key); // eslint-disable-line guard-for-in
    return keys;
  },
  "JSON.stringify after getFieldsMap": (s) => {
    s.getFieldsMap();
    return JSON.stringify(s);
  },
  "a registration request holding it: serializeBinary, toObject": (s) => {
    const req = new resproto.RegisterResourceRequest();
    req.setType("test:index:Thing");
    req.setObject(s);
    return [req.serializeBinary(), req.toObject()];
  },
  "a registration request holding it: cloneMessage, toArray": (s) => {
    const req = new resproto.RegisterResourceRequest();
    req.setObject(s);
    return [req.cloneMessage().serializeBinary(), req.toArray()];
  },
  "an invoke response holding it (the mock's call path), read as invoke.js reads it": (s) => {
    const resp = new provproto.InvokeResponse();
    resp.setReturn(s);
    return [resp.getReturn().toJavaScript(), resp.getReturn().getFieldsMap().getLength()];
  },
};

describe("JSON-keeping Structs against google-protobuf's Struct", () => {
  for (const [opName, op] of Object.entries(OPERATIONS)) {
    it(`${opName}: observes what the SDK's Struct gives, for every kind of value`, () => {
      for (const [valueName, make] of Object.entries(VALUES)) {
        const expected = observeStruct(true, make, op);
        expect({ value: valueName, observed: observeStruct(false, make, op) }).toEqual({ value: valueName, observed: expected });
      }
    });
  }

  it("throws where protobuf throws: at Struct.fromJavaScript, before any request holds the Struct", () => {
    for (const make of [VALUES["a function"], VALUES["a symbol"], VALUES["a bigint"], VALUES["a list with a hole"], VALUES["undefined deep inside"]]) {
      expect(() => withSdk(() => Struct.fromJavaScript(make()))).toThrow("Unexpected struct type.");
      expect(() => Struct.fromJavaScript(make())).toThrow("Unexpected struct type.");
    }
  });

  it("builds no real Struct for a registration the mock monitor reads (the memory these Structs save)", () => {
    const value = VALUES["nested JSON with -0, NaN, Infinity, nulls and empty lists"]();
    realStructsBuilt = 0;
    // What resource.js registerResource and the plan's mock monitor do with the request's Struct.
    const req = new resproto.RegisterResourceRequest();
    req.setObject(Struct.fromJavaScript(value));
    req.setType("test:index:Thing");
    req.getObject().toJavaScript();
    req.getObject().toJavaScript();
    expect(realStructsBuilt).toBe(0);
    // Anything else builds it (nested Structs too), once.
    req.serializeBinary();
    const built = realStructsBuilt;
    expect(built).toBeGreaterThan(1);
    req.getObject().getFieldsMap();
    expect(realStructsBuilt).toBe(built);
  });
});

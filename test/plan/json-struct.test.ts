/**
 * The JSON-keeping Struct of the plan's mocks (tools/plan/json-struct.ts): it returns what
 * google-protobuf's own Struct round trip returns, fails where protobuf fails, behaves as a real
 * Struct for every other use (bytes on the wire included), and keeps registrations from building
 * protobuf Values at all.
 */
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installRecorder, settle, type ResourceRecorder } from "../../tools/plan/recorder";

// The same module instances the SDK loads (one google-protobuf in the tree: npm ls google-protobuf).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structPb = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: StructClass;
  Value: { fromJavaScript(value: unknown): unknown };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourcePb = require("@pulumi/pulumi/proto/resource_pb") as {
  RegisterResourceRequest: new () => { setName(n: string): void; setObject(s: unknown): void; getObject(): StructInstance; serializeBinary(): Uint8Array };
};

interface StructInstance {
  toJavaScript(): Record<string, unknown>;
  serializeBinary(): Uint8Array;
  getFieldsMap(): { get(key: string): { toJavaScript(): unknown } | undefined; getLength(): number };
  toObject(): unknown;
  cloneMessage(): StructInstance;
}
interface StructClass {
  fromJavaScript(value: unknown): StructInstance;
  deserializeBinary(bytes: Uint8Array): StructInstance;
}

// Captured before the recorder replaces it: the real protobuf conversion, to compare with.
const sdkFromJavaScript = structPb.Struct.fromJavaScript;
const realFromJavaScript = sdkFromJavaScript.bind(structPb.Struct);
const realValueFromJavaScript = structPb.Value.fromJavaScript.bind(structPb.Value);

class Thing extends pulumi.CustomResource {
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>) {
    super("test:index:Thing", name, props);
  }
}

let recorder: ResourceRecorder;
beforeAll(async () => {
  recorder = await installRecorder("json-struct", true);
});

/** A JSON-ish object as the SDK serializes inputs: nested objects and arrays, strings, numbers incl. NaN and -0, booleans, null. */
const serializedInputs = fc.dictionary(
  fc.string(),
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    ),
  })).value,
  { maxKeys: 6 },
);

describe("Struct.fromJavaScript under the plan's mocks", () => {
  it("is installed: a Struct built by the SDK's module keeps its JSON", () => {
    expect(structPb.Struct.fromJavaScript).not.toBe(sdkFromJavaScript);
  });

  it("toJavaScript returns exactly protobuf's round trip, for any serialized inputs", () => {
    fc.assert(
      fc.property(serializedInputs, (value) => {
        const expected = realFromJavaScript(value).toJavaScript();
        const actual = structPb.Struct.fromJavaScript(value).toJavaScript();
        // Same values (NaN, -0 included) and the same key order at every level.
        expect(actual).toStrictEqual(expected);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 300 },
    );
  });

  it("returns a fresh copy each time, with keys sorted, inherited enumerable keys read, and non-plain objects as protobuf reads them", () => {
    const proto = { inherited: 1 };
    const value = { b: Object.assign(Object.create(proto) as object, { own: 2 }), a: [new Date(0), { z: 1, y: 2 }], "10": 1, "9": 2 };
    const struct = structPb.Struct.fromJavaScript(value);
    const first = struct.toJavaScript();
    expect(first).toStrictEqual(realFromJavaScript(value).toJavaScript());
    expect(Object.keys(first.b as object)).toEqual(["inherited", "own"]);
    expect(first.a).toEqual([{}, { y: 2, z: 1 }]);
    (first.a as unknown[]).push("changed");
    expect(struct.toJavaScript().a).toEqual([{}, { y: 2, z: 1 }]);
  });

  it("throws protobuf's error, when protobuf throws, for a value a Struct cannot hold", () => {
    for (const bad of [undefined, () => 1, Symbol("s"), 1n]) {
      for (const value of [{ k: bad }, { k: [1, { deep: bad }] }]) {
        expect(() => realFromJavaScript(value)).toThrow("Unexpected struct type.");
        expect(() => structPb.Struct.fromJavaScript(value)).toThrow("Unexpected struct type.");
      }
    }
  });

  it("behaves as the real Struct for every other use: bytes, fields, toObject, clone, and inside a request", () => {
    fc.assert(
      fc.property(serializedInputs, (value) => {
        const real = realFromJavaScript(value);
        const bytes = real.serializeBinary();
        expect(structPb.Struct.fromJavaScript(value).serializeBinary()).toEqual(bytes);
        expect(structPb.Struct.fromJavaScript(value).toObject()).toEqual(real.toObject());
        const kept = structPb.Struct.fromJavaScript(value);
        expect(kept.getFieldsMap().getLength()).toBe(real.getFieldsMap().getLength());
        expect(kept.toJavaScript()).toStrictEqual(real.toJavaScript());
        expect(structPb.Struct.fromJavaScript(value).cloneMessage().serializeBinary()).toEqual(bytes);
        // A request holds the Struct's array from setObject on; materialised later, the request's bytes are the real ones.
        const withReal = new resourcePb.RegisterResourceRequest();
        withReal.setName("x");
        withReal.setObject(real);
        const withKept = new resourcePb.RegisterResourceRequest();
        withKept.setName("x");
        withKept.setObject(structPb.Struct.fromJavaScript(value));
        expect(withKept.serializeBinary()).toEqual(withReal.serializeBinary());
        expect(structPb.Struct.deserializeBinary(withKept.getObject().serializeBinary()).toJavaScript()).toStrictEqual(real.toJavaScript());
      }),
      { numRuns: 100 },
    );
  });

  it("a registration builds no protobuf Value: its inputs reach the recorder as protobuf's round trip of them", async () => {
    recorder.reset();
    let built = 0;
    structPb.Value.fromJavaScript = (value: unknown) => {
      built++;
      return realValueFromJavaScript(value);
    };
    try {
      const inputs = { spec: { zeta: [1, { b: "x", a: null }], alpha: true }, data: { "b.key": "v", "a/key": "w" } };
      new Thing("t", inputs);
      await settle();
      expect(built).toBe(0);
      expect(recorder.records).toHaveLength(1);
      expect(JSON.stringify(recorder.records[0].inputs)).toBe(JSON.stringify(realFromJavaScript(inputs).toJavaScript()));
    } finally {
      structPb.Value.fromJavaScript = realValueFromJavaScript;
    }
  });
});

/**
 * Output properties built on first read under the plan's mocks (tools/plan/lazy-outputs.ts): what a
 * program sees is what the SDK's own `transferProperties` gives it (values, known-ness, secretness,
 * resources; read before or after the registration settled), while a property never read builds no
 * Output at all.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installRecorder, settle, type ResourceRecorder } from "../../tools/plan/recorder";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const outputModule = require("@pulumi/pulumi/output") as { Output: new (...args: unknown[]) => unknown };

// Captured before the recorder replaces it: the SDK's own, to compare with.
const sdkTransferProperties = rpc.transferProperties;

const OUTPUT_NAMES = ["apiVersion", "kind", "metadata", "spec", "status", "data"] as const;

class Thing extends pulumi.CustomResource {
  declare readonly apiVersion: pulumi.Output<string>;
  declare readonly kind: pulumi.Output<string>;
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;
  declare readonly spec: pulumi.Output<Record<string, unknown>>;
  declare readonly status: pulumi.Output<unknown>;
  declare readonly data: pulumi.Output<Record<string, string>>;
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { apiVersion: "v1", kind: "Thing", metadata: undefined, spec: undefined, status: undefined, data: undefined, ...props }, opts);
  }
}

interface Observed {
  value: unknown;
  isKnown: boolean;
  isSecret: boolean;
  resources: string[];
}

async function observe(output: pulumi.Output<unknown>): Promise<Observed> {
  const internal = output as unknown as { promise(withUnknowns?: boolean): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources(): Promise<Set<pulumi.Resource>> };
  const resources = await Promise.all([...(await internal.allResources())].map((r) => new Promise<string>((resolve) => r.urn.apply(resolve))));
  return { value: await internal.promise(true), isKnown: await internal.isKnown, isSecret: await internal.isSecret, resources: resources.sort() };
}

/** Builds `make()` with the SDK's own transferProperties instead of the lazy one. */
function withSdkOutputs<T>(make: () => T): T {
  const lazy = rpc.transferProperties;
  rpc.transferProperties = sdkTransferProperties;
  try {
    return make();
  } finally {
    rpc.transferProperties = lazy;
  }
}

/** Counts the Outputs constructed while `make()` runs (the SDK and the lazy properties both use this export). */
function countOutputs(make: () => void): number {
  const Output = outputModule.Output;
  let count = 0;
  outputModule.Output = new Proxy(Output, {
    construct(target, args, newTarget) {
      count++;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  try {
    make();
  } finally {
    outputModule.Output = Output;
  }
  return count;
}

function scenario(suffix: string): Thing {
  const parent = new Thing(`parent-${suffix}`, { spec: { size: 1 } });
  return new Thing(
    `child-${suffix}`,
    {
      metadata: { name: "n", labels: { b: "2", a: "1" } },
      spec: { owner: parent.spec, token: pulumi.secret("s3cret"), late: pulumi.output(undefined).apply(() => "computed") },
      data: pulumi.secret({ key: "value" }),
    },
    { additionalSecretOutputs: ["status"] },
  );
}

let recorder: ResourceRecorder;
beforeAll(async () => {
  recorder = await installRecorder("lazy-outputs", true);
});

describe("output properties under the plan's mocks", () => {
  it("are replaced: the SDK's transferProperties is not the one the runtime calls", () => {
    expect(rpc.transferProperties).not.toBe(sdkTransferProperties);
  });

  it("give the program what the SDK's own properties give it, read before or after the registration settled", async () => {
    recorder.reset();
    const sdk = withSdkOutputs(() => scenario("sdk"));
    const early = scenario("early");
    const readEarly = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, early[name]]));
    const late = scenario("late");
    await settle();
    for (const name of OUTPUT_NAMES) {
      const expected = await observe(sdk[name]);
      const rename = (o: Observed) => ({ ...o, resources: o.resources.map((urn) => urn.replace(/-(early|late)$/, "-sdk")) });
      expect({ name, ...rename(await observe(readEarly[name] as pulumi.Output<unknown>)) }).toEqual({ name, ...expected });
      expect({ name, ...rename(await observe(late[name])) }).toEqual({ name, ...expected });
    }
    // The scenario covers the cases that matter: a secret, a computed value, another resource's output.
    expect((await observe(sdk.data)).isSecret).toBe(true);
    expect((await observe(sdk.spec)).value).toMatchObject({ late: "computed" });
  });

  it("are own, enumerable and assignable like the SDK's, and each read gives the same Output", () => {
    recorder.reset();
    const sdk = withSdkOutputs(() => new Thing("plain-sdk", {}));
    const lazy = new Thing("plain-lazy", {});
    expect(Object.keys(lazy)).toEqual(Object.keys(sdk));
    for (const name of OUTPUT_NAMES) {
      expect(Object.prototype.hasOwnProperty.call(lazy, name)).toBe(true);
      expect(pulumi.Output.isInstance(lazy[name])).toBe(true);
      expect(lazy[name]).toBe(lazy[name]);
    }
    (lazy as unknown as { status: unknown }).status = "replaced";
    (sdk as unknown as { status: unknown }).status = "replaced";
    expect(lazy.status).toBe(sdk.status);
    return settle();
  });

  it("build no Output for a property the program never reads", async () => {
    recorder.reset();
    const sdk = countOutputs(() => withSdkOutputs(() => new Thing("count-sdk", {})));
    const unread = countOutputs(() => new Thing("count-unread", {}));
    const oneRead = countOutputs(() => void new Thing("count-one", {}).spec);
    await settle();
    expect(oneRead - unread).toBe(1);
    expect(sdk - unread).toBe(OUTPUT_NAMES.length);
  });
});

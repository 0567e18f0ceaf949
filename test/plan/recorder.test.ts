/**
 * The mock recorder's own behaviour, beyond what the plan's bundle shows: it answers the SDK as the
 * SDK's mock monitor does (outputs with sorted keys, ids, URNs), keeps no second copy of any
 * resource, has the SDK capture no per-promise stack traces, and still fails a run that leaks a promise.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installRecorder, settle, type ResourceRecorder } from "../../tools/plan/recorder";
import { REPO_ROOT } from "../harness/fixtures";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): { resources?: Map<string, unknown> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Record<string, unknown>> } };

class Thing extends pulumi.CustomResource {
  declare readonly spec: pulumi.Output<Record<string, unknown>>;
  declare readonly items: pulumi.Output<unknown[]>;
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { spec: undefined, items: undefined, ...props }, opts);
  }
}

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Group", name, {});
    this.registerOutputs({ done: true });
  }
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

let recorder: ResourceRecorder;
beforeAll(async () => {
  recorder = await installRecorder("recorder", false);
});

describe("the plan's mock monitor", () => {
  it("hands outputs back as the SDK's mock does: same values, object keys sorted at every level", async () => {
    recorder.reset();
    const thing = new Thing("a", { spec: { zeta: 1, alpha: { y: [3, { d: 1, c: 2 }], b: null }, mid: "x" }, items: ["b", "a"] });
    const spec = await valueOf(thing.spec);
    const items = await valueOf(thing.items);
    await settle();
    expect(JSON.stringify(spec)).toBe('{"alpha":{"b":null,"y":[3,{"c":2,"d":1}]},"mid":"x","zeta":1}');
    expect(items).toEqual(["b", "a"]);
    expect(await valueOf(thing.id)).toBe("a-id");
    expect(await valueOf(thing.urn)).toBe("urn:pulumi:recorder::lab::test:index:Thing::a");
    expect(recorder.records.map((r) => r.name)).toEqual(["a"]);
    expect(recorder.records[0].inputs).toEqual({ spec: { zeta: 1, alpha: { y: [3, { d: 1, c: 2 }], b: null }, mid: "x" }, items: ["b", "a"] });
  });

  it("keeps no copy of a registered resource's state, and accepts component outputs", async () => {
    recorder.reset();
    new Group("g");
    new Thing("b", { spec: { big: "x".repeat(1000) } });
    await settle();
    expect(recorder.records.map((r) => r.type)).toEqual(["test:index:Group", "test:index:Thing"]);
    expect(settings.getMonitor().resources?.size ?? 0).toBe(0);
  });

  it("calls onRegister once per registration, before the resource is recorded", async () => {
    recorder.reset();
    const seen: number[] = [];
    recorder.onRegister = () => seen.push(recorder.records.length);
    try {
      new Group("h");
      new Thing("d", { spec: { k: "v" } });
      new Thing("e", { spec: { k: "w" } });
      await settle();
    } finally {
      recorder.onRegister = undefined;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(recorder.records).toHaveLength(3);
  });

  it("has the SDK keep its leak bookkeeping but capture no stack trace per promise", async () => {
    recorder.reset();
    new Thing("c", { spec: { k: "v" } });
    const pending = [...state.getStore().leakCandidates];
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.filter((p) => "_debugStackTrace" in p)).toEqual([]);
    await settle();
  });
});

describe("a program that leaks a promise under the recorder", () => {
  it("still fails at exit with the SDK's leak report", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures/leaked-promise.ts")], {
      cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000,
    });
    expect(run.stderr).toMatch(/The Pulumi runtime detected that \d+ promises were still active/);
    expect(run.status).toBe(1);
  });
});

/** index.ts under `pulumi up`: the lab is evaluated at the program's start time, and no one can make an update apply another instant. */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PLAN_AT_ENV } from "../../config/stack";
import { settle } from "../../tools/plan/recorder";
import { readStackFile } from "../../tools/plan/stack-file";
import { EXAMPLE_STACK } from "../harness/fixtures";
import { currentRecorder, useRecorder } from "../harness/pulumi";

useRecorder({ preview: false, stack: "lab" });

async function runAt(start: string) {
  currentRecorder().reset();
  vi.resetModules();
  const { config } = readStackFile(EXAMPLE_STACK);
  config["lab:ssh"] = JSON.stringify({ user: "lab-admin", privateKey: "inline-test-key-0123456789" });
  pulumi.runtime.setAllConfig(config);
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(start) });
  try {
    return await import("../../index.ts");
  } finally {
    vi.useRealTimers();
  }
}

describe("pulumi up and the instant", () => {
  afterEach(() => {
    delete process.env[PLAN_AT_ENV];
  });

  it("applies the lease active at its start time, and not before", async () => {
    const during = await runAt("2027-01-11T00:30:00Z");
    await settle();
    expect(during.pools).toMatchObject({ "lease-nomos": "dedicated", experiments: "shared" });
    const patch = currentRecorder().records.find((r) => r.type === "kubernetes:core/v1:NodePatch" && r.name === "nodes-node-04")!;
    expect(JSON.stringify(patch.inputs)).toContain('"lab.vac.dev/lease-team":"nomos"');
    const before = await runAt("2027-01-10T23:30:00Z");
    await settle();
    expect(Object.keys(before.pools)).not.toContain("lease-nomos");
  });

  it("refuses an instant set for the offline plan", async () => {
    process.env[PLAN_AT_ENV] = String(Date.parse("2027-01-12T00:00:00Z"));
    await expect(runAt("2026-06-01T00:00:00Z")).rejects.toThrow(`${PLAN_AT_ENV} is set: an update applies the lab as it is now; unset it`);
    await settle();
    expect(currentRecorder().records).toEqual([]);
  });
});

/**
 * index.ts as the Pulumi CLI runs it: config from the engine (`lab:` namespace), one model, one Lab.
 * Non-preview mode, so this is what `pulumi up` would do.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { settle } from "../../tools/plan/recorder";
import { readStackFile } from "../../tools/plan/stack-file";
import { EXAMPLE_STACK } from "../harness/fixtures";
import { currentRecorder, useRecorder } from "../harness/pulumi";

useRecorder({ preview: false, stack: "lab" });

function setStackConfig(change: (config: Record<string, string>) => void = () => {}): void {
  const { config } = readStackFile(EXAMPLE_STACK);
  change(config);
  pulumi.runtime.setAllConfig(config);
}

describe("index.ts under `pulumi up`", () => {
  it("stops before registering anything when the SSH key file is missing", async () => {
    currentRecorder().reset();
    vi.resetModules();
    setStackConfig();
    await expect(import("../../index.ts")).rejects.toThrow(/lab:ssh\.privateKeyPath: the SSH key .* does not exist on this machine/);
    await settle();
    expect(currentRecorder().records).toEqual([]);
  });

  it("stops with every config problem before registering anything", async () => {
    currentRecorder().reset();
    vi.resetModules();
    setStackConfig((c) => {
      const nodes = JSON.parse(c["lab:nodes"]);
      nodes[1].name = nodes[2].name;
      c["lab:nodes"] = JSON.stringify(nodes);
      c["lab:typo"] = "x";
    });
    await expect(import("../../index.ts")).rejects.toThrow(
      /lab:typo: unknown config key[^\n]*\nlab:nodes\[2\]\.name: duplicate node name "node-03" \(also lab:nodes\[1\]\)/,
    );
    await settle();
    expect(currentRecorder().records).toEqual([]);
  });

  it("builds the lab from the stack config when the key is given inline", async () => {
    currentRecorder().reset();
    vi.resetModules();
    setStackConfig((c) => (c["lab:ssh"] = JSON.stringify({ user: "lab-admin", privateKey: "inline-test-key-0123456789" })));
    // `pulumi up` evaluates the leases at its start (config/stack.ts): start outside the example's lease.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-06-01T00:00:00Z") });
    const program = await import("../../index.ts").finally(() => vi.useRealTimers());
    await settle();
    expect(program.pools).toEqual({ control: "platform", experiments: "shared", monitoring: "platform", nomos: "dedicated" });
    expect(currentRecorder().records.find((r) => r.type === "lab:index:Lab")?.name).toBe("vaclab");
  });
});

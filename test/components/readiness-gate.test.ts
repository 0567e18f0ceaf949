import * as command from "@pulumi/command";
import { describe, expect, it } from "vitest";
import { ReadinessGate } from "../../components/shared/readiness-gate";
import { settle } from "../../tools/plan/recorder";
import { currentRecorder, useRecorder } from "../harness/pulumi";

useRecorder();

describe("ReadinessGate", () => {
  it("makes its wait command depend on what the gate depends on", async () => {
    currentRecorder().reset();
    const chart = new command.local.Command("chart", { create: "true" });
    new ReadinessGate("gate", { connection: { host: "192.0.2.1" }, checks: [{ description: "d", command: "true" }] }, { dependsOn: [chart] });
    await settle();
    const records = currentRecorder().records;
    const chartUrn = records.find((r) => r.name === "chart")!.urn;
    const wait = records.find((r) => r.name === "gate-wait")!;
    expect(wait.dependsOn).toContain(chartUrn);
    expect(wait.options.customTimeouts?.create).toBe("960s");
  });
});

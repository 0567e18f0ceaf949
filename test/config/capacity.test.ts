import { describe, expect, it } from "vitest";
import { allocatable, findOvercommits, findShortfall } from "../../config/capacity";

describe("allocatable", () => {
  it("subtracts the system reservation and never goes negative", () => {
    expect(allocatable({ cpu: 64, memoryGiB: 256, pods: 1000 }, { cpu: 2, memoryGiB: 8, pods: 20 })).toEqual({ cpu: 62, memoryGiB: 248, pods: 980 });
    expect(allocatable({ cpu: 1, memoryGiB: 4, pods: 10 }, { cpu: 2, memoryGiB: 8, pods: 20 })).toEqual({ cpu: 0, memoryGiB: 0, pods: 0 });
  });
});

describe("findShortfall (can every quota be honoured at once?)", () => {
  const supply = new Map([["shared", 100], ["a-only", 50]]);

  it("accepts demands that fit, even when a multi-pool team must spill", () => {
    expect(findShortfall([
      { team: "a", amount: 120, pools: ["a-only", "shared"] },
      { team: "b", amount: 30, pools: ["shared"] },
    ], supply)).toBeUndefined();
  });

  it("names the teams and pools of the violated cut", () => {
    expect(findShortfall([
      { team: "a", amount: 60, pools: ["shared"] },
      { team: "b", amount: 60, pools: ["shared"] },
      { team: "c", amount: 10, pools: ["a-only"] },
    ], supply)).toEqual({ teams: ["a", "b"], pools: ["shared"], demand: 120, supply: 100 });
  });

  it("finds a shortfall that only shows when pools are considered together", () => {
    // Each team fits its pools alone; together they need 160 of the 150 the two pools hold.
    const result = findShortfall([
      { team: "a", amount: 110, pools: ["a-only", "shared"] },
      { team: "b", amount: 50, pools: ["shared"] },
    ], supply);
    expect(result).toEqual({ teams: ["a", "b"], pools: ["shared", "a-only"], demand: 160, supply: 150 });
  });
});

describe("findOvercommits (shared by the config check and the policy pack)", () => {
  const r = (cpu: number, memoryGiB = 1000, pods = 1000) => ({ cpu, memoryGiB, pods });
  const supply = new Map([["shared", r(100)], ["a-only", r(50)], ["empty", r(0, 0, 0)]]);

  it("reports a team that does not fit its own pools once, and leaves it out of the joint check", () => {
    expect(findOvercommits([
      { team: "a", pools: ["a-only"], quota: { cpu: 60 } },
      { team: "b", pools: ["shared"], quota: { cpu: 60 } },
      { team: "c", pools: ["shared"], quota: { cpu: 30 } },
    ], supply)).toEqual([{ kind: "cpu", teams: ["a"], pools: ["a-only"], demand: 60, supply: 50, alone: true }]);
  });

  it("reports teams that fit alone but not together, per kind, and skips kinds a team is not promised", () => {
    expect(findOvercommits([
      { team: "a", pools: ["shared"], quota: { cpu: 60, pods: 600 } },
      { team: "b", pools: ["shared"], quota: { cpu: 60, pods: 600 } },
    ], supply)).toEqual([
      { kind: "cpu", teams: ["a", "b"], pools: ["shared"], demand: 120, supply: 100, alone: false },
      { kind: "pods", teams: ["a", "b"], pools: ["shared"], demand: 1200, supply: 1000, alone: false },
    ]);
  });

  it("treats a pool without nodes as holding nothing", () => {
    expect(findOvercommits([{ team: "a", pools: ["empty"], quota: { memoryGiB: 1 } }], supply)).toMatchObject([
      { kind: "memoryGiB", teams: ["a"], pools: ["empty"], supply: 0, alone: true },
    ]);
  });
});

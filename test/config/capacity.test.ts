import { describe, expect, it } from "vitest";
import { allocatable, findShortfall } from "../../config/capacity";

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

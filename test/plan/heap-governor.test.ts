/**
 * The plan's heap governor (tools/plan/heap-governor.ts): no collection below its floor, a full
 * collection once the heap in use passes its limit, and a next limit computed from what is then
 * live, so a large live set is not collected again and again. Its effect on the 1000-node plan
 * (peak memory) is measured by `npm run bench:plan` (docs/performance.md): too slow for CI.
 */
import * as v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { HeapGovernor } from "../../tools/plan/heap-governor";

const MIB = 2 ** 20;
const used = () => v8.getHeapStatistics().used_heap_size;

/** Old-generation garbage: arrays kept until the next call, so they outlive young collections. */
function churn(rounds: number, retained: unknown[][]): void {
  for (let r = 0; r < rounds; r++) retained[r % retained.length] = Array.from({ length: 50_000 }, (_, i) => ({ i, s: `v${i}` }));
}

describe("HeapGovernor", () => {
  it("does not collect while the heap in use is under its floor", () => {
    const governor = new HeapGovernor({ floorBytes: used() + 512 * MIB });
    for (let i = 0; i < 100; i++) governor.check();
    expect(governor.collections).toBe(0);
  });

  it("collects once past the limit, then not again until the heap has grown by the headroom", () => {
    const retained: unknown[][] = new Array(4);
    churn(8, retained);
    const governor = new HeapGovernor({ floorBytes: 1, headroom: 0.25, minGrowthBytes: 64 * MIB });
    governor.check();
    expect(governor.collections).toBe(1);
    for (let i = 0; i < 100; i++) governor.check();
    expect(governor.collections).toBe(1);
  });

  it("keeps the heap in use within the live set plus the headroom while garbage accumulates", () => {
    const retained: unknown[][] = new Array(8);
    const minGrowth = 24 * MIB;
    const governor = new HeapGovernor({ floorBytes: 1, headroom: 0.1, minGrowthBytes: minGrowth });
    governor.check();
    const live = used();
    let peak = 0;
    for (let round = 0; round < 120; round++) {
      churn(1, retained);
      peak = Math.max(peak, used());
      governor.check();
    }
    expect(governor.collections).toBeGreaterThan(1);
    // One round allocates a few MiB; the retained ring is part of the live set it collects back to.
    expect(peak).toBeLessThan(live + minGrowth + 0.1 * live + 64 * MIB);
  });
});

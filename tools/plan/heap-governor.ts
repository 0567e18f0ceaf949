/**
 * Bounds the plan's heap while the program's registrations settle, without a hard heap limit.
 *
 * The program constructs every resource synchronously, so when construction ends every resource's
 * pending SDK state is live at once (about 0.27 GiB at 1000 nodes, with the lazy outputs and
 * JSON-keeping Structs of lazy-outputs.ts and json-struct.ts; 0.57 GiB without). The registrations
 * then complete in one long run of microtasks during which the live set falls (to about 0.19 GiB when
 * all have settled), while the SDK allocates far more in promises that die soon after but outlive
 * V8's young-generation collections. V8 sizes its next full collection from the live set at the last
 * one times its heap growing factor (up to 4x on a machine with this much memory: v8
 * src/heap/heap-controller.cc, `MaxGrowingFactor`), so the heap grew to 1.3 GiB of mostly garbage
 * before V8 collected it. The governor instead collects when the heap in use passes
 * `live + max(minGrowth, headroom × live)`, `live` being what its last collection left (never below
 * `floor`), and recomputes that limit after each collection. Unlike `--max-old-space-size` it never
 * fails a run: a lab whose live set is larger only raises the limit. The price is CPU: each full
 * collection marks the whole live set (0.1–0.25 s each at 1000 nodes on the 2-core machine; four per
 * plan with the default floor, `node --trace-gc`).
 *
 * `check()` is meant to be called often (the plan calls it on every registration); it reads V8's
 * heap statistics (a few microseconds) and collects only past the limit. The collector is V8's
 * `gc`, exposed at run time as jest-leak-detector does (`v8.setFlagsFromString("--expose-gc")` then
 * `vm.runInNewContext("gc")`, then `--no-expose-gc` again; jestjs/jest
 * packages/jest-leak-detector/src/index.ts, `_runGarbageCollector`).
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";

export interface HeapGovernorOptions {
  /** Heap in use (bytes) below which it never collects; default 384 MiB (labs up to about 500 nodes never pay; at 1000 nodes the floor sets the peak: 512 MiB gave 0.70 GiB RSS, 384 MiB 0.65 GiB, 256 MiB 0.57 GiB for 40% more time). */
  readonly floorBytes?: number;
  /** Growth over the live heap (fraction of it) that triggers a collection; default 0.1. */
  readonly headroom?: number;
  /** Minimum growth (bytes) between two collections, so a large live set is not collected back to back; default 32 MiB. */
  readonly minGrowthBytes?: number;
}

const MIB = 2 ** 20;

export class HeapGovernor {
  /** Full collections the governor triggered. */
  collections = 0;
  private readonly floor: number;
  private readonly headroom: number;
  private readonly minGrowth: number;
  private readonly collect: () => void;
  private limit: number;

  constructor(options: HeapGovernorOptions = {}) {
    this.floor = options.floorBytes ?? 384 * MIB;
    this.headroom = options.headroom ?? 0.1;
    this.minGrowth = options.minGrowthBytes ?? 32 * MIB;
    this.limit = this.floor;
    this.collect = exposedGc();
  }

  /** Collects if the heap in use is past the limit, then sets the next limit from what is live. */
  check(): void {
    if (v8.getHeapStatistics().used_heap_size <= this.limit) return;
    this.collect();
    this.collections++;
    const live = v8.getHeapStatistics().used_heap_size;
    this.limit = Math.max(this.floor, live + Math.max(this.minGrowth, live * this.headroom));
  }
}

/** V8's full collection: `global.gc` when node runs with --expose-gc, else exposed now. */
function exposedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === "function") return existing;
  v8.setFlagsFromString("--expose-gc");
  try {
    const gc = vm.runInNewContext("gc") as () => void;
    return () => gc();
  } finally {
    v8.setFlagsFromString("--no-expose-gc"); // later contexts get no `gc` global
  }
}

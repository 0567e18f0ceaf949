/** Cheap SDK promise bookkeeping for runs under mocks (the plan and the tests). */
import * as pulumi from "@pulumi/pulumi";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debugPromiseLeaks: boolean;
  debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
};

let leanDebuggingInstalled = false;

/**
 * Makes the SDK's promise bookkeeping cheap under mocks, keeping what it reports. `debuggablePromise`
 * wraps every promise the SDK makes (four per output property of every resource) with a
 * `new Error().stack`, a context string and a `.then().catch()` chain; the stack and the context are
 * only printed in promise-leak reports when `PULUMI_DEBUG_PROMISE_LEAKS` is set. With source maps on
 * (tsx) formatting those stacks was about a third of the plan's time and much of its memory. The
 * lean version keeps the leak candidates (so a leaked promise still fails the run at exit, as the
 * SDK's exit hook counts them) and one chained promise that settles like the SDK's. Likewise
 * `Resource.stackTrace` walks the whole stack of every registration for the source position the
 * engine shows; the mock monitor ignores it. Error stacks and the recorded resources are unchanged.
 * Nothing is replaced when PULUMI_DEBUG_PROMISE_LEAKS is set (SDK internals, pinned by the exact
 * @pulumi/pulumi version: runtime/debuggable.js, resource.js).
 */
export function leanSdkDebugging(): void {
  if (leanDebuggingInstalled || debuggable.debugPromiseLeaks) return;
  leanDebuggingInstalled = true;
  // One call through the SDK's own wrapper schedules its exit-time leak report.
  void debuggable.debuggablePromise(Promise.resolve(), "plan: schedule the leak report");
  debuggable.debuggablePromise = <T>(p: Promise<T>): Promise<T> => {
    const store = state.getStore();
    store.leakCandidates.add(p);
    return p.then(
      (value) => {
        store.leakCandidates.delete(p);
        return value;
      },
      (error: { promise?: unknown }) => {
        store.leakCandidates.delete(p);
        error.promise = p;
        throw error;
      },
    );
  };
  (pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] }).stackTrace = () => [];
}

/**
 * Output properties built when first read, for runs under mocks (the plan and the tests).
 *
 * The SDK gives every output property of every custom resource an `Output` as soon as the resource
 * is constructed (@pulumi/pulumi 3.248.0 runtime/rpc.js `transferProperties`): four promises with
 * their resolve and reject functions, and the Output itself, which chains eight more promises
 * (two `Promise.all`) and a Proxy (output.js `OutputImpl`). A resource has 5 to 15 output properties
 * (`apiVersion`, `kind`, `metadata`, `spec`, `status`; a command's `stdout`, `stderr`, …), and the
 * program reads few of them, so at 1000 nodes these unread Outputs were most of the 0.57 GiB that is
 * alive when construction ends (sampling heap profile; see docs/performance.md).
 *
 * Here each output property is an accessor on the resource that builds the SDK's own Output, as
 * `transferProperties` would (through the SDK's `debuggablePromise`), the first time it is read, and
 * then becomes the SDK's plain data property. Its resolver (called once, when the registration
 * returns) settles that Output if it exists, or keeps the settlement for the Output built later,
 * which is then built as a settled one (`settledOutput`), so its applies run after as many microtask
 * turns as the SDK's long-settled Output's and interleave with other applies in the same order. A
 * property that is never read costs one small object and its accessor. What the program sees is the same: an own,
 * enumerable property holding an `Output` with the value, known-ness, secretness and resources the
 * resolver was given; assignment, sealing and freezing behave as on the SDK's data property. A failed
 * registration builds every Output at once and rejects it (an unread failure still surfaces as the
 * SDK's unhandled rejection); a gRPC error leaves the Output unsettled, as the SDK does. What still
 * tells the two apart: `Object.getOwnPropertyDescriptor` of a property not read yet (an accessor,
 * whose two closures are its cost) and the leak report's count of pending promises (unread
 * properties have none).
 * Nothing is replaced when PULUMI_DEBUG_PROMISE_LEAKS is set: its report names each promise.
 * test/plan/harness-fidelity.test.ts runs programs with this and with the SDK's own and compares.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: TransferProperties };
/** The SDK's own `transferProperties`, for the resources it must still handle (see lazyTransferProperties). */
const sdkTransferProperties = rpc.transferProperties;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const outputModule = require("@pulumi/pulumi/output") as { Output: OutputConstructor; containsUnknowns(value: unknown): boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const errors = require("@pulumi/pulumi/errors") as { isGrpcError(err: unknown): boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debugPromiseLeaks: boolean;
  debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T>;
};

/** The resolver `transferProperties` returns per property: `(value, isKnown, isSecret, deps, err)`. */
type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: unknown) => void;
type TransferProperties = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
type OutputConstructor = {
  isInstance(value: unknown): boolean;
  getPromisedValue(promise: Promise<unknown>, withUnknowns?: boolean): Promise<unknown>;
} & (new (
  resources: unknown,
  promise: Promise<unknown>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<unknown[]>,
) => unknown);

/** How a property's registration ended: its resolver's arguments. */
type Settlement = { readonly error: unknown } | { readonly value: unknown; readonly isKnown: boolean; readonly isSecret: boolean; readonly deps: unknown[] };

/** One output property: its Output once read, or how it settled while unread. */
class LazyOutputProperty {
  /** A value assigned to the property after the resource was sealed (it can no longer become a data property). */
  assigned?: { readonly value: unknown };
  private output?: unknown;
  private settleOutput?: (settlement: Settlement) => void;
  private settlement?: Settlement;

  constructor(private readonly resource: object) {}

  /** The accessor's getter: the property's Output (or a value assigned while sealed). */
  get(onto: object, key: string): unknown {
    if (this.assigned) return this.assigned.value;
    const output = this.read();
    // Once built, the property becomes the SDK's plain data property (same descriptor), unless the
    // resource was frozen or sealed meanwhile (then it can no longer be redefined).
    if (Object.getOwnPropertyDescriptor(onto, key)?.configurable) {
      Object.defineProperty(onto, key, { value: output, writable: true, enumerable: true, configurable: true });
    }
    return output;
  }

  /** The accessor's setter: what assigning to the SDK's plain writable data property does. */
  set(receiver: object, key: string, value: unknown): void {
    if (Object.getOwnPropertyDescriptor(receiver, key)?.configurable !== false) {
      Object.defineProperty(receiver, key, { value, writable: true, enumerable: true, configurable: true });
    } else if (Object.isFrozen(receiver)) {
      // A frozen resource's data property is read-only: strict-mode assignment fails as V8 words it.
      throw new TypeError(`Cannot assign to read only property '${key}' of object '#<${constructorName(receiver)}>'`);
    } else {
      // Sealed: the accessor cannot become a data property any more, but the value is writable.
      this.assigned = { value };
    }
  }

  /** The property's Output, built on first read (as `transferProperties` builds it). */
  read(): unknown {
    if (this.output === undefined) this.build();
    return this.output;
  }

  /** The resolver's body (rpc.js `transferProperties`): reject on error, skip gRPC errors, else resolve. */
  resolve(value: unknown, isKnown: boolean, isSecret: boolean, deps: unknown[] = [], err?: unknown): void {
    if (err && errors.isGrpcError(err)) return; // the SDK leaves these unsettled too
    const settlement: Settlement = err ? { error: err } : { value, isKnown, isSecret, deps };
    if (this.output === undefined && err) this.build(); // an unread failure must still reject, as in the SDK
    if (this.settleOutput) this.settleOutput(settlement);
    else this.settlement = settlement;
  }

  private build(): void {
    const settled = this.settlement;
    if (settled && !("error" in settled) && !outputModule.Output.isInstance(settled.value)) {
      this.output = settledOutput(this.resource, settled);
      this.settlement = undefined;
      this.settleOutput = () => undefined; // a settled promise ignores later settlements too
      return;
    }
    // Through the SDK's debuggablePromise, as transferProperties does: the same microtask turns before
    // an apply runs, and the same leak candidates while the registration is pending.
    const value = deferred<unknown>();
    const isKnown = deferred<boolean>();
    const isSecret = deferred<boolean>();
    const deps = deferred<unknown[]>();
    const ctx = "transferProperty (lazy)";
    this.output = new outputModule.Output(
      this.resource,
      debuggable.debuggablePromise(value.promise, ctx),
      debuggable.debuggablePromise(isKnown.promise, ctx),
      debuggable.debuggablePromise(isSecret.promise, ctx),
      debuggable.debuggablePromise(deps.promise, ctx),
    );
    this.settleOutput = (s) => {
      if ("error" in s) {
        for (const d of [value, isKnown, isSecret, deps]) d.reject(s.error);
        return;
      }
      value.resolve(s.value);
      isKnown.resolve(s.isKnown);
      isSecret.resolve(s.isSecret);
      deps.resolve(s.deps);
    };
    if (settled) {
      this.settleOutput(settled);
      this.settlement = undefined;
    }
  }
}

/**
 * The Output `transferProperties` built at construction as it is once its registration has settled:
 * output.js `OutputImpl`'s fields then hold settled promises, so an `apply` on it runs after as many
 * microtask turns as on any settled Output (an Output built now from settled promises would still
 * chain through its constructor's `Promise.all`s first, and run its applies later than the SDK's).
 * The fields are what the constructor derives from the settlement: `lifted` = `{ allResources: deps ∪
 * {resource}, value, isKnown: isKnown && !containsUnknowns(value), isSecret }` (value not an Output).
 */
function settledOutput(resource: object, s: { value: unknown; isKnown: boolean; isSecret: boolean; deps: unknown[] }): unknown {
  const { Output } = outputModule;
  const output = new Output(resource, Promise.resolve(s.value), Promise.resolve(s.isKnown), Promise.resolve(s.isSecret), Promise.resolve(s.deps));
  const allResources = new Set([...copyResources(s.deps), resource]);
  const isKnown = s.isKnown && !outputModule.containsUnknowns(s.value);
  const lifted = Promise.resolve({ allResources, value: s.value, isKnown, isSecret: s.isSecret });
  // The Output is a Proxy with only a get trap: these assignments land on the OutputImpl itself.
  Object.assign(output as object, {
    allResources: () => lifted.then((l) => l.allResources),
    isKnown: Promise.resolve(isKnown),
    isSecret: Promise.resolve(s.isSecret),
    promise: (withUnknowns?: boolean) => Output.getPromisedValue(lifted.then((l) => l.value), withUnknowns),
  });
  return output;
}

/** output.js `copyResources`: an array's or a Set's members, or the one resource. */
function copyResources(resources: unknown): Set<unknown> {
  return Array.isArray(resources) || resources instanceof Set ? new Set(resources as Iterable<unknown>) : new Set([resources]);
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The name V8 shows for an object in its error messages (`#<Thing>`). */
function constructorName(object: object): string {
  const ctor = (object as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
}

/**
 * `transferProperties` with Outputs built on first read; same errors, same resolvers' contract.
 * A resource with a property name already present on it or its prototype chain (`__proto__`,
 * `hasOwnProperty`, a getter of the resource's class, `toString`, …) goes through the SDK's own
 * `transferProperties`: its plain assignment runs setters, fails on getters without one, sets the
 * prototype for `__proto__`, and its `onto.hasOwnProperty(k)` check calls an Output it just assigned;
 * an accessor defined here would do none of that. No resource of ours has such a name.
 */
export function lazyTransferProperties(onto: object, label: string, props: Record<string, unknown>): Record<string, Resolver> {
  const keys = Object.keys(props).filter((key) => key !== "id" && key !== "urn"); // handled by the SDK itself
  if (keys.some((key) => key in onto)) return sdkTransferProperties(onto, label, props);
  const resolvers: Record<string, Resolver> = {};
  for (const key of keys) {
    const property = new LazyOutputProperty(onto);
    // Closures over the property, not `this`: a read through a Proxy of the resource, through
    // Object.create(resource) or a copied descriptor gets the same Output, as the SDK's data property gives.
    Object.defineProperty(onto, key, {
      configurable: true,
      enumerable: true,
      get: () => property.get(onto, key),
      set(this: object, value: unknown) {
        property.set(this, key, value);
      },
    });
    resolvers[key] = (value, isKnown, isSecret, deps, err) => property.resolve(value, isKnown, isSecret, deps, err);
  }
  return resolvers;
}

let installed = false;

/** Makes the SDK build output properties on first read in this process (idempotent). */
export function useLazyOutputs(): void {
  if (installed || debuggable.debugPromiseLeaks) return;
  installed = true;
  rpc.transferProperties = lazyTransferProperties;
}

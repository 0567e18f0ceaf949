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
 * Here each output property is an accessor on the resource that builds the SDK's own Output, exactly
 * as `transferProperties` would, the first time it is read. Its resolver (called once, when the
 * registration returns) settles that Output if it exists, or keeps the settlement for the Output
 * built later. A property that is never read costs one small object. What the program sees is the
 * same: an own, enumerable property holding an `Output` whose value, known-ness, secretness and
 * resources are what the resolver was given. Two cases keep the SDK's exact behaviour: a failed
 * registration builds every Output at once and rejects it (an unread failure still surfaces as the
 * SDK's unhandled rejection), and a gRPC error leaves the Output unsettled, as the SDK does.
 * Nothing is replaced when PULUMI_DEBUG_PROMISE_LEAKS is set: its report names each promise.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { transferProperties: TransferProperties };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const outputModule = require("@pulumi/pulumi/output") as { Output: OutputConstructor };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const errors = require("@pulumi/pulumi/errors") as { isGrpcError(err: unknown): boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debugPromiseLeaks: boolean };

/** The resolver `transferProperties` returns per property: `(value, isKnown, isSecret, deps, err)`. */
type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: unknown) => void;
type TransferProperties = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
type OutputConstructor = new (
  resources: unknown,
  promise: Promise<unknown>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<unknown[]>,
) => unknown;

/** How a property's registration ended: its resolver's arguments. */
type Settlement = { readonly error: unknown } | { readonly value: unknown; readonly isKnown: boolean; readonly isSecret: boolean; readonly deps: unknown[] };

/** One output property: its Output once read, or how it settled while unread. */
class LazyOutputProperty {
  private output?: unknown;
  private settleOutput?: (settlement: Settlement) => void;
  private settlement?: Settlement;

  constructor(private readonly resource: object) {}

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
    const value = deferred<unknown>();
    const isKnown = deferred<boolean>();
    const isSecret = deferred<boolean>();
    const deps = deferred<unknown[]>();
    this.output = new outputModule.Output(this.resource, value.promise, isKnown.promise, isSecret.promise, deps.promise);
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
    if (this.settlement) {
      this.settleOutput(this.settlement);
      this.settlement = undefined;
    }
  }
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

/** Each resource's lazy output properties, by key (a symbol-keyed own field: no per-property closures on the resource). */
const PROPERTIES = Symbol("lab.lazyOutputProperties");
type WithProperties = { [PROPERTIES]: Record<string, LazyOutputProperty> };

/** One getter and setter per property name, shared by every resource (a few dozen names in all). */
const accessors = new Map<string, PropertyDescriptor>();
function accessorFor(key: string): PropertyDescriptor {
  let descriptor = accessors.get(key);
  if (!descriptor) {
    descriptor = {
      configurable: true,
      enumerable: true,
      get(this: WithProperties) {
        return this[PROPERTIES][key].read();
      },
      // The SDK's property is a plain writable one: an assignment replaces it.
      set(this: object, value: unknown) {
        Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      },
    };
    accessors.set(key, descriptor);
  }
  return descriptor;
}

/** `transferProperties` with Outputs built on first read; same errors, same resolvers' contract. */
export function lazyTransferProperties(onto: object, label: string, props: Record<string, unknown>): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  const properties: Record<string, LazyOutputProperty> = {};
  for (const key of Object.keys(props)) {
    if (key === "id" || key === "urn") continue; // handled by the SDK itself
    if (Object.prototype.hasOwnProperty.call(onto, key)) throw new Error(`Property '${key}' is already initialized on target '${label}`);
    const property = new LazyOutputProperty(onto);
    properties[key] = property;
    Object.defineProperty(onto, key, accessorFor(key));
    resolvers[key] = (value, isKnown, isSecret, deps, err) => property.resolve(value, isKnown, isSecret, deps, err);
  }
  Object.defineProperty(onto, PROPERTIES, { value: properties });
  return resolvers;
}

let installed = false;

/** Makes the SDK build output properties on first read in this process (idempotent). */
export function useLazyOutputs(): void {
  if (installed || debuggable.debugPromiseLeaks) return;
  installed = true;
  rpc.transferProperties = lazyTransferProperties;
}

/**
 * The mock recorder shared by the plan and the tests: installs `pulumi.runtime.setMocks` and keeps
 * every registered resource with its URN, parent, provider, dependencies, options and inputs.
 *
 * `MockResourceArgs` carries no parent or dependencies, so the recorder also replaces the mock
 * monitor's `registerResource` (SDK internals, pinned by the exact @pulumi/pulumi version; see
 * mock-monitor.ts) to read them from the registration request itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { useJsonStructs } from "./json-struct";
import { useLazyOutputs } from "./lazy-outputs";
import { registerAndRecord } from "./mock-monitor";
import { leanSdkDebugging } from "./sdk-debugging";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): MonitorLike | undefined;
  waitForRPCs(): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { rpcDone: Promise<unknown> } } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(struct: unknown): Record<string, unknown> };

export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getImportid(): string;
  getObject(): unknown;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getRetainondelete(): boolean;
  getDeletedwith(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

export interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  registerResourceOutputs(req: unknown, callback: (err: unknown, res: unknown) => void): void;
}

export interface ResourceOptionsRecord {
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly additionalSecretOutputs: string[];
  readonly retainOnDelete: boolean;
  readonly deletedWith: string;
  readonly customTimeouts?: { create: string; update: string; delete: string };
}

export interface ResourceRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Parent URN, "" for a root resource. */
  readonly parent: string;
  /** Provider reference `urn::id`, "" for the default provider. */
  readonly provider: string;
  /** URNs this resource depends on: explicit dependsOn plus the resources its inputs came from. */
  readonly dependsOn: string[];
  readonly custom: boolean;
  /** Inputs as the engine would receive them: secrets wrapped in the SDK's secret sentinel. */
  readonly inputs: Record<string, unknown>;
  readonly options: ResourceOptionsRecord;
}

/** Extra state a mock returns for a resource type (e.g. a command's stdout in non-preview tests). */
export type StateHook = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> | undefined;

export class ResourceRecorder implements pulumi.runtime.Mocks {
  readonly records: ResourceRecord[] = [];
  stateHook?: StateHook;
  /** Called on every registration, before it is recorded (the plan bounds its heap there: heap-governor.ts). */
  onRegister?: () => void;

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const extra = this.stateHook?.(args) ?? {};
    return { id: args.custom ? `${args.name}-id` : undefined, state: { ...args.inputs, ...extra } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    return args.inputs;
  }

  reset(): void {
    this.records.length = 0;
  }

  /** Records one registration request and returns the record (its inputs deserialized once). */
  observe(monitor: MonitorLike, req: RegisterRequest): ResourceRecord {
    this.onRegister?.();
    const timeouts = req.getCustomtimeouts();
    const record: ResourceRecord = {
      urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependsOn: [...new Set(req.getDependenciesList())].sort(),
      custom: req.getCustom(),
      inputs: rpc.deserializeProperties(req.getObject()),
      options: {
        protect: req.getProtect(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        retainOnDelete: req.getRetainondelete(),
        deletedWith: req.getDeletedwith(),
        customTimeouts: timeouts
          ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() }
          : undefined,
      },
    };
    this.records.push(record);
    return record;
  }
}

/**
 * Installs the mocks once (per process or test file: a second setMocks while resources are still
 * settling fails the run) under project `lab`, so config keys are read from the `lab:` namespace.
 */
export async function installRecorder(stack: string, preview: boolean): Promise<ResourceRecorder> {
  const recorder = new ResourceRecorder();
  leanSdkDebugging();
  useJsonStructs();
  useLazyOutputs();
  await pulumi.runtime.setMocks(recorder, "lab", stack, preview);
  const monitor = settings.getMonitor();
  if (!monitor) throw new Error("pulumi.runtime.setMocks installed no monitor");
  monitor.registerResource = (req, callback) => registerAndRecord(recorder, monitor, req, callback);
  // Component outputs are not recorded (the SDK's mock monitor only keeps them for getResource).
  monitor.registerResourceOutputs = (_req, callback) => callback(null, {});
  return recorder;
}

/**
 * Resolves once every registration the program started has completed, including resources created
 * later inside `apply` callbacks: it waits for the RPC queue, lets pending callbacks run, and repeats
 * until the queue stays unchanged.
 */
export async function settle(): Promise<void> {
  for (;;) {
    await settings.waitForRPCs();
    const queue = state.getStore().settings.rpcDone;
    await new Promise((resolve) => setImmediate(resolve));
    if (state.getStore().settings.rpcDone === queue) return;
  }
}

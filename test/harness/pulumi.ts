/**
 * Runs the lab program under the shared mock recorder. Call `useRecorder()` once at the top of a
 * test file (mocks are installed once per file); each `runLab` resets the records and builds the
 * lab from a config map, exactly as index.ts does, then waits until every registration settled.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll } from "vitest";
import { Lab } from "../../components/lab";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import type { LabSecrets } from "../../config/stack";
import { installRecorder, settle, type ResourceRecord, type ResourceRecorder, type StateHook } from "../../tools/plan/recorder";
import { isSecretSentinel, unwrapForPolicy } from "../../tools/plan/redact";

export const TEST_SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\ntest-key-material-not-real\n-----END OPENSSH PRIVATE KEY-----\n";

let recorder: ResourceRecorder | undefined;

export function useRecorder(options: { preview?: boolean; stack?: string } = {}): void {
  beforeAll(async () => {
    recorder = await installRecorder(options.stack ?? "test", options.preview ?? false);
  });
}

/** The recorder of this test file (after useRecorder's beforeAll ran). */
export function currentRecorder(): ResourceRecorder {
  if (!recorder) throw new Error("call useRecorder() at the top of the test file");
  return recorder;
}

export class LabRun {
  constructor(
    readonly model: LabModel,
    readonly lab: Lab,
    readonly records: readonly ResourceRecord[],
  ) {}

  /** Resources of `type`; with `within`, only those below a component of that type (one layer). */
  ofType(type: string, within?: string): ResourceRecord[] {
    return this.records.filter((r) => r.type === type && (within === undefined || this.ancestor(r, within) !== undefined));
  }

  /** The one resource of `type` named `name`; fails loudly when absent or ambiguous. */
  get(type: string, name: string): ResourceRecord {
    const found = this.records.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name).join(", ");
      throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names || "none"})`);
    }
    return found[0];
  }

  byUrn(urn: string): ResourceRecord | undefined {
    return this.records.find((r) => r.urn === urn);
  }

  /** The closest ancestor of a resource with the given type. */
  ancestor(record: ResourceRecord, type: string): ResourceRecord | undefined {
    let parent = this.byUrn(record.parent);
    while (parent && parent.type !== type) parent = this.byUrn(parent.parent);
    return parent;
  }
}

/** A record's inputs as plain values (secrets unwrapped, unknowns dropped). */
export function plainInputs(record: ResourceRecord): any {
  return unwrapForPolicy(record.inputs);
}

/** Whether an input property arrived at the engine marked secret. */
export function isSecretInput(record: ResourceRecord, property: string): boolean {
  return isSecretSentinel(record.inputs[property]);
}

/** Runs the lab program for `raw`; `at` (ms since the epoch) plans that instant (leases), as `--at` does. */
export async function runLab(raw: Record<string, unknown>, options: { stateHook?: StateHook; secrets?: Partial<LabSecrets>; at?: number } = {}): Promise<LabRun> {
  if (!recorder) throw new Error("call useRecorder() at the top of the test file");
  recorder.reset();
  recorder.stateHook = options.stateHook;
  const model = loadLabModel(raw, pulumi.getStack(), { at: options.at });
  const secrets: LabSecrets = { sshPrivateKey: pulumi.secret(TEST_SSH_KEY), sshKeyIsPlaceholder: false, ...options.secrets };
  const lab = new Lab(model.cluster.name, { model, secrets });
  await settle();
  return new LabRun(model, lab, [...recorder.records]);
}

/** Resolves an Output's value (non-preview runs). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

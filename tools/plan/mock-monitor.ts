/**
 * The plan's answer to each registration: what the SDK's `MockMonitor.registerResource`
 * (@pulumi/pulumi 3.248.0, runtime/mocks.js) does, without the copies only a real engine would need.
 */
import type { MonitorLike, RegisterRequest, ResourceRecorder } from "./recorder";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
};

/**
 * Does what the SDK's `MockMonitor.registerResource` does (mock state = `newResource`'s answer), with
 * three differences that change no value the program sees: the request's inputs are deserialized
 * once (for the record and the mock alike); the state is not kept in the monitor (nothing under the
 * plan reads it back, and keeping every resource's serialized state was a copy of the whole lab); and
 * the answer is handed back as plain JSON instead of a protobuf Struct that the SDK turns straight back
 * into JSON (the SDK builds the same kind of plain response when it runs without a monitor). Keys
 * come back sorted, as the Struct round trip returned them.
 */
export async function registerAndRecord(
  recorder: ResourceRecorder,
  monitor: MonitorLike,
  req: RegisterRequest,
  callback: (err: unknown, res: unknown) => void,
): Promise<void> {
  try {
    const record = recorder.observe(monitor, req);
    const result = await recorder.newResource({
      type: record.type,
      name: record.name,
      inputs: record.inputs,
      provider: record.provider,
      custom: record.custom,
      id: req.getImportid(),
    });
    const state = sortedKeys(await rpc.serializeProperties("", result.state)) as Record<string, unknown>;
    callback(null, {
      getUrn: () => record.urn,
      getId: () => result.id ?? "",
      getObject: () => ({ toJavaScript: () => state }),
      getPropertydependenciesMap: () => undefined,
      getResult: () => 0, // pulumirpc.Result.SUCCESS
    });
  } catch (error) {
    callback(error, undefined);
  }
}

/** A copy of serialized JSON with every object's keys in sorted order (protobuf Struct map order). */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return out;
}


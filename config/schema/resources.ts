/** Container resources as chart values: cpu and memory requests and limits, always all four. */
import { z } from "zod";
import { parseCpuCores, parseMemoryGiB } from "../quantity";

/** Largest cpu quantity: 2^20 cores. */
const MAX_CORES = 2 ** 20;
/** Largest memory quantity: 2^20 GiB (1 PiB). */
const MAX_GIB = 2 ** 20;

/** Cores: more than 0, whole millicores (Kubernetes rounds finer values up), at most 2^20. */
export const cpuQuantity = z.string().max(32).superRefine((s, ctx) => {
  const cores = parseCpuCores(s);
  if (cores === undefined) ctx.addIssue({ code: "custom", message: 'must be a cpu quantity such as "500m" or "2"' });
  else if (cores <= 0 || cores > MAX_CORES) ctx.addIssue({ code: "custom", message: `must be more than 0 and at most ${MAX_CORES} cores` });
  else if (Math.abs(cores * 1000 - Math.round(cores * 1000)) > 1e-6) ctx.addIssue({ code: "custom", message: "must be a whole number of millicores" });
});

/** Memory: more than 0 and at most 1 PiB. */
export const memoryQuantity = z.string().max(32).superRefine((s, ctx) => {
  const gib = parseMemoryGiB(s);
  if (gib === undefined) ctx.addIssue({ code: "custom", message: 'must be a memory quantity such as "512Mi" or "4Gi"' });
  else if (gib <= 0 || gib > MAX_GIB) ctx.addIssue({ code: "custom", message: `must be more than 0 and at most ${MAX_GIB}Gi` });
});

export const cpuMemorySchema = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

export const containerResourcesSchema = z.strictObject({
  requests: cpuMemorySchema,
  limits: cpuMemorySchema,
});

export type ContainerResources = z.output<typeof containerResourcesSchema>;

/** A resources schema whose default is `value` (documented where it is used). */
export function resourcesWithDefault(value: ContainerResources) {
  return containerResourcesSchema.default(value);
}

/** Container resources as chart values: cpu and memory requests and limits, always all four. */
import { z } from "zod";
import { parseCpuCores, parseMemoryGiB } from "../quantity";

export const cpuQuantity = z
  .string()
  .refine((s) => parseCpuCores(s) !== undefined, { message: 'must be a cpu quantity such as "500m" or "2"' });

export const memoryQuantity = z
  .string()
  .refine((s) => parseMemoryGiB(s) !== undefined, { message: 'must be a memory quantity such as "512Mi" or "4Gi"' });

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

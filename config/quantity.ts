/**
 * Kubernetes resource quantities: the stack writes cpu cores and GiB as quantities (quotas, chart
 * values), config checks add them up, and the policy pack reads them back to compare them.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

export const GIB = 2 ** 30;

/** A quantity ("1500m", "640Gi", "1e3", 12) in base units (cores, bytes, count); undefined if malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  if (m[3] !== undefined) return number * 10 ** Number(m[3]);
  const suffix = m[2] ?? "";
  return number * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** Cores as a quantity: whole cores stay plain ("160"), fractions become millicores ("1500m"). */
export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

/** GiB as a quantity: whole GiB stay "640Gi", fractions become MiB ("1536Mi"). */
export function memoryQuantity(gib: number): string {
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`;
}

/** Cores in a cpu quantity ("500m" -> 0.5, "8" -> 8), or undefined when it is not a cpu quantity. */
export function parseCpuCores(text: string): number | undefined {
  return /^\d+(\.\d+)?m?$/.test(text) ? parseQuantity(text) : undefined;
}

/** GiB in a memory quantity ("512Mi" -> 0.5, "16Gi" -> 16), or undefined when it is not one. */
export function parseMemoryGiB(text: string): number | undefined {
  const bytes = parseQuantity(text);
  return bytes === undefined || bytes < 0 ? undefined : bytes / GIB;
}

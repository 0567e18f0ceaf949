/**
 * Kubernetes resource quantities as the stack writes them into chart values ("500m", "8", "16Gi"),
 * parsed into cores and GiB so config checks can add them up.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

const MEMORY_FACTORS: Record<string, number> = {
  "": 1 / 2 ** 30,
  Ki: 1 / 2 ** 20,
  Mi: 1 / 2 ** 10,
  Gi: 1,
  Ti: 2 ** 10,
  K: 1e3 / 2 ** 30,
  M: 1e6 / 2 ** 30,
  G: 1e9 / 2 ** 30,
  T: 1e12 / 2 ** 30,
};

/** Cores in a cpu quantity ("500m" -> 0.5, "8" -> 8), or undefined when it is not one. */
export function parseCpuCores(text: string): number | undefined {
  const m = CPU.exec(text);
  if (!m) return undefined;
  return Number(m[1]) / (m[2] === "m" ? 1000 : 1);
}

/** GiB in a memory quantity ("512Mi" -> 0.5, "16Gi" -> 16), or undefined when it is not one. */
export function parseMemoryGiB(text: string): number | undefined {
  const m = MEMORY.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_FACTORS[m[2] ?? ""];
}

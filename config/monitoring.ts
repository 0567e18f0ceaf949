/**
 * The pure arithmetic of the monitoring config values (retention periods and storage sizes).
 */

const RETENTION_DAYS: Record<string, number> = { d: 1, w: 7, y: 365 };

/** Days in a VictoriaMetrics retention such as "6w" or "2y" (validated by the schema). */
export function retentionDays(text: string): number {
  const match = /^(\d+)(d|w|y)$/.exec(text);
  if (!match) throw new Error(`invalid retention "${text}"`);
  return Number(match[1]) * RETENTION_DAYS[match[2]];
}

const SIZE_BYTES: Record<string, number> = { Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Bytes in a PVC size such as "500Gi" (validated by the schema). */
export function storageBytes(text: string): number {
  const match = /^(\d+)(Mi|Gi|Ti)$/.exec(text);
  if (!match) throw new Error(`invalid storage size "${text}"`);
  return Number(match[1]) * SIZE_BYTES[match[2]];
}

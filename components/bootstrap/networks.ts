/** CIDR lists for the firewall: the exact same address set, written with as few blocks as possible. */
import { cidr, cidrSize, formatIpv4 } from "../../config/cidr";

interface Interval {
  start: number;
  /** Exclusive end. */
  end: number;
}

/** The largest aligned block that starts at `start` and does not pass `end`. */
function largestBlock(start: number, end: number): number {
  let prefix = 32;
  while (prefix > 0) {
    const size = 2 ** (32 - (prefix - 1));
    if (start % size !== 0 || start + size > end) break;
    prefix -= 1;
  }
  return prefix;
}

/**
 * Merges overlapping and adjacent blocks, e.g. the default node networks (every node address as /32)
 * of 1000 consecutive addresses become a handful of blocks. Covers exactly the input addresses.
 */
export function mergeCidrs(blocks: readonly string[]): string[] {
  const intervals: Interval[] = blocks
    .map((b) => cidr(b))
    .map((c) => ({ start: c.base, end: c.base + cidrSize(c) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const i of intervals) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  const out: string[] = [];
  for (const { start, end } of merged) {
    let at = start;
    while (at < end) {
      const prefix = largestBlock(at, end);
      out.push(`${formatIpv4(at)}/${prefix}`);
      at += 2 ** (32 - prefix);
    }
  }
  return out;
}

/** IPv4 addresses and CIDR blocks: parsing, containment and overlap for the config cross-checks. */

export interface Cidr {
  readonly text: string;
  /** First address of the block as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as an unsigned 32-bit integer, or undefined when it is not dotted-quad IPv4. */
export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A CIDR block, or a reason it is not one (bad syntax, or host bits set). */
export function parseCidr(text: string): Cidr | string {
  const [address, prefixText, extra] = text.split("/");
  if (extra !== undefined || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) {
    return `"${text}" is not an IPv4 CIDR block (a.b.c.d/n)`;
  }
  const ip = parseIpv4(address);
  const prefix = Number(prefixText);
  if (ip === undefined || prefix > 32) return `"${text}" is not an IPv4 CIDR block (a.b.c.d/n)`;
  const base = (ip & mask(prefix)) >>> 0;
  if (base !== ip) return `"${text}" has host bits set; the block starts at ${formatIpv4(base)}/${prefix}`;
  return { text, base, prefix };
}

/** Like parseCidr, for values the schema has already validated. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

export function cidrSize(block: Cidr): number {
  return 2 ** (32 - block.prefix);
}

export function cidrContains(block: Cidr, ip: number): boolean {
  return ((ip & mask(block.prefix)) >>> 0) === block.base;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const shorter = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(shorter)) >>> 0) === ((b.base & mask(shorter)) >>> 0);
}

/** The n-th address of a block (0 = network address), e.g. the cluster DNS at offset 10. */
export function cidrAddress(block: Cidr, offset: number): string {
  return formatIpv4((block.base + offset) >>> 0);
}

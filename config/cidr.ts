/**
 * IPv4 addresses and CIDR blocks: parsing, containment and overlap for the config cross-checks.
 * Addresses are parsed with ipaddr.js (2.5.0) and only the canonical dotted quad is accepted: `ssh`,
 * `inet_aton` and friends read `010` as octal and `0x0a` as hex, so any other spelling would name a
 * different machine than the string the duplicate checks compare.
 */
import ipaddr from "ipaddr.js";

export interface Cidr {
  readonly text: string;
  /** First address of the block as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

/**
 * The address as an unsigned 32-bit integer, or undefined unless it is a canonical dotted quad
 * (four decimal octets 0-255 without leading zeros: "192.0.2.11", never "192.0.2.011").
 */
export function parseIpv4(text: string): number | undefined {
  if (typeof text !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  const octets = ipaddr.IPv4.parse(text).octets;
  if (octets.join(".") !== text) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/** ipaddr.js ranges a machine's own address can never be in (RFC 6890: not forwardable or not unicast). */
const NON_HOST_RANGES = new Set(["unspecified", "broadcast", "multicast", "loopback", "linkLocal"]);
const CLASS_E = ipaddr.parseCIDR("240.0.0.0/4");

/** Why a canonical IPv4 address cannot be a host's unicast address, or undefined when it can. */
export function hostAddressProblem(text: string): string | undefined {
  if (parseIpv4(text) === undefined) return "must be an IPv4 address in canonical dotted-quad form such as 192.0.2.11 (no leading zeros)";
  const address = ipaddr.IPv4.parse(text);
  const range = address.range();
  if (NON_HOST_RANGES.has(range)) return `${text} is a ${range} address, not a host's unicast address`;
  if (address.match(CLASS_E)) return `${text} is in the reserved class E block 240.0.0.0/4, not a host's unicast address`;
  return undefined;
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

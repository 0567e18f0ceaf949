/**
 * Parsers of the benchmark roles' raw output (components/benchmarks/scripts.ts): sections between
 * `### lab-bench begin` and `### lab-bench end` lines, and the tools' own formats inside them:
 *
 * - iperf3 3.x `-J`: `end.sum_received.bits_per_second` (TCP, what the receiver got) and, for UDP,
 *   `end.sum_received` packets minus lost packets over its seconds (iperf3 src/iperf_api.c,
 *   iperf_print_results: sum_received is the receiver's view, present since 3.0 for TCP and in
 *   3.12 for UDP too; older UDP output has only `end.sum`, also the receiver's view);
 * - fping 5.x `-C N -q`: one line `target : r1 r2 ... rN` on stderr, round-trip times in
 *   milliseconds, `-` for a lost echo (fping.c, print_per_system_results);
 * - curl `-w`: one line per transfer with the requested variables, in seconds (curl's
 *   write-out documentation: time_namelookup, time_connect, time_total).
 *
 * Every value returned is in base units: bytes per second, packets per second, seconds.
 */

export interface Section {
  readonly kind: string;
  readonly rep: number;
  readonly peer?: string;
  /** Exit code of the tool; undefined when the section never ended (the pod died). */
  readonly rc?: number;
  readonly body: string;
}

export class ParseError extends Error {}

const BEGIN = /^### lab-bench begin (\S+) rep=(\d+)(?: peer=(\S+))?$/;
const END = /^### lab-bench end rc=(\d+)$/;
const SKIPPED = /^### lab-bench skipped reason=(\S+) node=(\S*)$/;

/** The sections of one role's log, in order, and why it stopped early (skipped), if it did. */
export function sections(log: string): { sections: Section[]; skipped?: { reason: string; node: string } } {
  const out: Section[] = [];
  let open: { kind: string; rep: number; peer?: string; lines: string[] } | undefined;
  let skipped: { reason: string; node: string } | undefined;
  for (const line of log.split("\n")) {
    const begin = BEGIN.exec(line);
    const end = END.exec(line);
    const skip = SKIPPED.exec(line);
    if (begin) {
      if (open) out.push({ kind: open.kind, rep: open.rep, peer: open.peer, body: open.lines.join("\n") });
      open = { kind: begin[1], rep: Number(begin[2]), peer: begin[3], lines: [] };
    } else if (end && open) {
      out.push({ kind: open.kind, rep: open.rep, peer: open.peer, rc: Number(end[1]), body: open.lines.join("\n").trim() });
      open = undefined;
    } else if (skip) {
      skipped = { reason: skip[1], node: skip[2] };
    } else if (open) open.lines.push(line);
  }
  if (open) out.push({ kind: open.kind, rep: open.rep, peer: open.peer, body: open.lines.join("\n").trim() });
  return { sections: out, skipped };
}

interface IperfSum {
  seconds?: number;
  bits_per_second?: number;
  packets?: number;
  lost_packets?: number;
}

function iperfJson(text: string): { end?: { sum_received?: IperfSum; sum?: IperfSum }; error?: string } {
  const start = text.indexOf("{");
  if (start < 0) throw new ParseError(`no iperf3 JSON in: ${text.slice(0, 200)}`);
  let json: { end?: { sum_received?: IperfSum; sum?: IperfSum }; error?: string };
  try {
    json = JSON.parse(text.slice(start));
  } catch (error) {
    throw new ParseError(`iperf3 output is not JSON: ${(error as Error).message}`);
  }
  if (json.error) throw new ParseError(`iperf3: ${json.error}`);
  return json;
}

/** TCP throughput the receiver saw, bytes per second. */
export function iperfTcpBytesPerSecond(text: string): number {
  const bps = iperfJson(text).end?.sum_received?.bits_per_second;
  if (typeof bps !== "number" || !(bps > 0)) throw new ParseError("iperf3 JSON has no end.sum_received.bits_per_second");
  return bps / 8;
}

/** UDP datagrams the receiver got, per second. */
export function iperfUdpPacketsPerSecond(text: string): number {
  const end = iperfJson(text).end;
  const sum = end?.sum_received ?? end?.sum;
  if (!sum || typeof sum.packets !== "number" || typeof sum.seconds !== "number" || !(sum.seconds > 0)) {
    throw new ParseError("iperf3 JSON has no end.sum_received (or end.sum) packets and seconds");
  }
  return (sum.packets - (sum.lost_packets ?? 0)) / sum.seconds;
}

/** Round-trip times of `fping -C`, seconds, lost echoes left out; `lost` counts them. */
export function fpingRoundTrips(text: string): { rtts: number[]; lost: number } {
  const line = text.split("\n").find((l) => /^\S+\s+:\s/.test(l));
  if (!line) throw new ParseError(`no fping -C result line in: ${text.slice(0, 200)}`);
  const fields = line.split(":").slice(1).join(":").trim().split(/\s+/);
  const rtts = fields.filter((f) => f !== "-").map((f) => {
    const ms = Number(f);
    if (!Number.isFinite(ms)) throw new ParseError(`fping: "${f}" is not a round-trip time`);
    return ms / 1000;
  });
  return { rtts, lost: fields.length - rtts.length };
}

/** Whitespace-separated columns of curl `-w` lines, as numbers (seconds). */
export function curlTimes(text: string, columns: number): number[][] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => {
      const values = l.split(/\s+/).map(Number);
      if (values.length !== columns || values.some((v) => !Number.isFinite(v))) throw new ParseError(`curl -w line "${l}" is not ${columns} number(s)`);
      return values;
    });
}

/** The `egress_mbps X` line the qos test prints before iperf3's JSON. */
export function qosLimitMbps(text: string): number {
  const m = /^egress_mbps (\d+(?:\.\d+)?)$/m.exec(text);
  if (!m) throw new ParseError("qos section has no egress_mbps line");
  return Number(m[1]);
}

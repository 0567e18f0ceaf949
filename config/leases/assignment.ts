/**
 * Who has which machine when: the one pure function every layer reads (`assignmentAt`), and the
 * distinct assignments of a config's horizon (what the capacity check and the calendar walk).
 * Times are milliseconds since the epoch; a lease holds over `[from, until)`.
 */
import { parseInstant } from "./instant";

/** What assignmentAt needs: the nodes' home pools and the leases (config shape, instants as text). */
export interface LeaseInput {
  readonly nodes: readonly { readonly name: string; readonly pool: string }[];
  readonly leases: readonly {
    readonly team: string;
    readonly nodes: readonly string[];
    readonly from: string;
    readonly until: string;
    readonly reason: string;
  }[];
}

export interface ActiveLease {
  /** Position in `lab:leases`. */
  readonly index: number;
  readonly team: string;
  readonly from: number;
  readonly until: number;
  readonly reason: string;
}

export interface NodeAssignment {
  /** The pool the node is in at the instant: its home pool, or the borrowing team's lease pool. */
  readonly pool: string;
  readonly homePool: string;
  /** The lease holding the node at the instant. */
  readonly lease?: ActiveLease;
  /** The node's next lease that starts after the instant (what LabLeaseStarting announces). */
  readonly next?: ActiveLease;
}

export interface Assignment {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Every node by name. */
  readonly nodes: ReadonlyMap<string, NodeAssignment>;
  /** Indexes of the leases active at the instant, ascending. */
  readonly active: readonly number[];
}

/** Pool of the nodes a team borrows: one per team, whatever the number of its leases. */
export function leasePoolName(team: string): string {
  return `lease-${team}`;
}

function windows(input: LeaseInput): ActiveLease[] {
  return input.leases.map((l, index) => ({
    index,
    team: l.team,
    from: parseInstant(l.from) ?? NaN,
    until: parseInstant(l.until) ?? NaN,
    reason: l.reason,
  }));
}

/**
 * The assignment at `at` (ms since the epoch): during `[from, until)` a lease's nodes are in
 * `lease-<team>`, otherwise in their home pool. Pure: the same input and instant give the same
 * answer; nothing here reads the clock. With overlapping leases of one node (a config error the
 * cross-checks report) the first lease in config order wins.
 */
export function assignmentAt(input: LeaseInput, at: number): Assignment {
  const leases = windows(input);
  const active = leases.filter((l) => l.from <= at && at < l.until);
  const nodes = new Map<string, NodeAssignment>();
  for (const node of input.nodes) {
    const lease = active.find((l) => input.leases[l.index].nodes.includes(node.name));
    const next = leases
      .filter((l) => l.from > at && input.leases[l.index].nodes.includes(node.name))
      .sort((a, b) => a.from - b.from || a.index - b.index)[0];
    nodes.set(node.name, { pool: lease ? leasePoolName(lease.team) : node.pool, homePool: node.pool, lease, next });
  }
  return { at, nodes, active: active.map((l) => l.index) };
}

/** Every lease boundary (from and until), ascending and distinct, in ms since the epoch. */
export function boundaries(input: LeaseInput): number[] {
  const all = windows(input).flatMap((l) => [l.from, l.until]).filter((t) => Number.isFinite(t));
  return [...new Set(all)].sort((a, b) => a - b);
}

/**
 * The distinct assignments over the config's horizon: before the first boundary (no lease), then at
 * each boundary where the set of active leases differs from every one seen. Each comes with the
 * first instant it holds (`-Infinity` for "before any lease").
 */
export function distinctAssignments(input: LeaseInput): Assignment[] {
  const seen = new Set<string>();
  const out: Assignment[] = [];
  for (const t of [-Infinity, ...boundaries(input)]) {
    const a = assignmentAt(input, t);
    const key = a.active.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/**
 * Capacity arithmetic: what a node can give to teams, what a pool holds, and whether every team's
 * quota can be honoured at once. Pure functions of the config; the policy pack reuses them.
 */

export interface Resources {
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly pods: number;
}

export const RESOURCE_KINDS = ["cpu", "memoryGiB", "pods"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_UNITS: Record<ResourceKind, string> = { cpu: "cores", memoryGiB: "GiB", pods: "pods" };

export const ZERO: Resources = { cpu: 0, memoryGiB: 0, pods: 0 };

export function addResources(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, memoryGiB: a.memoryGiB + b.memoryGiB, pods: a.pods + b.pods };
}

export function sumResources(items: readonly Resources[]): Resources {
  return items.reduce(addResources, ZERO);
}

/** A node's capacity minus the per-node system reservation, never below zero. */
export function allocatable(capacity: Resources, reserved: Resources): Resources {
  return {
    cpu: Math.max(0, capacity.cpu - reserved.cpu),
    memoryGiB: Math.max(0, capacity.memoryGiB - reserved.memoryGiB),
    pods: Math.max(0, capacity.pods - reserved.pods),
  };
}

/** Rounds away float noise (0.1 + 0.2) so that sums compare and print cleanly. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** "300 cores", "640 GiB", "1500 pods". */
export function describeAmount(kind: ResourceKind, amount: number): string {
  return `${round(amount)} ${RESOURCE_UNITS[kind]}`;
}

/** `"a", "b"` for messages. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

export interface Demand {
  readonly team: string;
  readonly amount: number;
  readonly pools: readonly string[];
}

export interface Shortfall {
  /** Teams that cannot all be honoured together. */
  readonly teams: string[];
  /** Every pool those teams may use. */
  readonly pools: string[];
  readonly demand: number;
  readonly supply: number;
}

/**
 * Whether each team's demand can be placed on its pools without any pool giving more than it has
 * (a bipartite max-flow). When it cannot, returns the smallest-cut set of teams whose demand exceeds
 * what all of their pools together hold (Hall's condition), so the message names who collides where.
 */
export function findShortfall(demands: readonly Demand[], supply: ReadonlyMap<string, number>): Shortfall | undefined {
  const pools = [...supply.keys()];
  const poolIndex = new Map(pools.map((p, i) => [p, i]));
  const teamCount = demands.length;
  const source = 0;
  const sink = 1 + teamCount + pools.length;
  const size = sink + 1;
  const cap: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  demands.forEach((d, i) => {
    cap[source][1 + i] = d.amount;
    for (const pool of d.pools) {
      const p = poolIndex.get(pool);
      if (p !== undefined) cap[1 + i][1 + teamCount + p] = Infinity;
    }
  });
  pools.forEach((pool, p) => (cap[1 + teamCount + p][sink] = supply.get(pool) ?? 0));

  const EPS = 1e-9;
  let flow = 0;
  for (;;) {
    const prev = new Array<number>(size).fill(-1);
    prev[source] = source;
    const queue = [source];
    while (queue.length > 0 && prev[sink] === -1) {
      const u = queue.shift()!;
      for (let v = 0; v < size; v++) {
        if (prev[v] === -1 && cap[u][v] > EPS) {
          prev[v] = u;
          queue.push(v);
        }
      }
    }
    if (prev[sink] === -1) break;
    let push = Infinity;
    for (let v = sink; v !== source; v = prev[v]) push = Math.min(push, cap[prev[v]][v]);
    for (let v = sink; v !== source; v = prev[v]) {
      cap[prev[v]][v] -= push;
      cap[v][prev[v]] += push;
    }
    flow += push;
  }
  const demand = demands.reduce((s, d) => s + d.amount, 0);
  if (flow >= demand - 1e-6) return undefined;

  // Nodes still reachable from the source in the residual graph form the violating side of the cut.
  const seen = new Array<boolean>(size).fill(false);
  seen[source] = true;
  const stack = [source];
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (let v = 0; v < size; v++) {
      if (!seen[v] && cap[u][v] > EPS) {
        seen[v] = true;
        stack.push(v);
      }
    }
  }
  const teams = demands.filter((_, i) => seen[1 + i]);
  const cutPools = pools.filter((_, p) => seen[1 + teamCount + p]);
  return {
    teams: teams.map((d) => d.team),
    pools: cutPools,
    demand: round(teams.reduce((s, d) => s + d.amount, 0)),
    supply: round(cutPools.reduce((s, p) => s + (supply.get(p) ?? 0), 0)),
  };
}

/** What a team is promised (kinds left out are not checked) and the pools it may use. */
export interface TeamDemand {
  readonly team: string;
  readonly pools: readonly string[];
  readonly quota: Partial<Resources>;
}

export interface Overcommit {
  readonly kind: ResourceKind;
  /** One team that does not fit its own pools (`alone`), or the teams that do not fit together. */
  readonly teams: readonly string[];
  readonly pools: readonly string[];
  readonly demand: number;
  readonly supply: number;
  readonly alone: boolean;
}

/**
 * Every way the quotas overcommit the pools: first each team against all of its pools, then the
 * remaining teams together (max-flow over pools, which also covers the lab in total). A team that
 * does not fit alone is left out of the joint check, so it is reported once. `supply` must list
 * every pool a team names (zero when it has no nodes).
 */
export function findOvercommits(demands: readonly TeamDemand[], supply: ReadonlyMap<string, Resources>): Overcommit[] {
  const found: Overcommit[] = [];
  const oversized = new Set<string>();
  for (const kind of RESOURCE_KINDS) {
    for (const d of demands) {
      const amount = d.quota[kind];
      if (amount === undefined) continue;
      const available = round(d.pools.reduce((sum, p) => sum + (supply.get(p)?.[kind] ?? 0), 0));
      if (amount > available + 1e-9) {
        oversized.add(d.team);
        found.push({ kind, teams: [d.team], pools: [...d.pools], demand: round(amount), supply: available, alone: true });
      }
    }
  }
  for (const kind of RESOURCE_KINDS) {
    const flows = demands
      .filter((d) => !oversized.has(d.team) && d.quota[kind] !== undefined)
      .map((d) => ({ team: d.team, amount: d.quota[kind]!, pools: d.pools }));
    const shortfall = findShortfall(flows, new Map([...supply].map(([pool, r]) => [pool, r[kind]])));
    if (shortfall) found.push({ kind, ...shortfall, alone: false });
  }
  return found;
}

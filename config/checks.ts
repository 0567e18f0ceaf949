/**
 * Cross-checks: rules that span several config keys. Each runs when the sections it needs parsed, so
 * one broken section still lets the others be checked; every finding names its config path.
 */
import { describeAmount, findOvercommits, quoteList, type ResourceKind } from "./capacity";
import { cidr, cidrContains, cidrsOverlap, parseIpv4 } from "./cidr";
import { durationSeconds } from "./duration";
import { derivePools, teamQuota } from "./model";
import type { ConfigProblem } from "./problems";
import type { LabConfig } from "./schema";

/** The longest scrape interval any tier may use: beyond it the 5m lookback leaves gaps. */
export const MAX_SCRAPE_INTERVAL_SECONDS = 120;

/** Namespaces the platform owns; a team may not take one of these names. */
export const RESERVED_NAMESPACES = [
  "default", "kube-system", "kube-public", "kube-node-lease", "monitoring", "vmetrics",
  "fleet-local", "fleet-default", "cattle-fleet-system", "cattle-system", "lab-system",
];

type Check = (config: Partial<LabConfig>) => ConfigProblem[];

function duplicates<T>(items: readonly T[], key: (item: T) => string): Array<{ index: number; first: number; value: string }> {
  const seen = new Map<string, number>();
  const found: Array<{ index: number; first: number; value: string }> = [];
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else found.push({ index, first, value });
  });
  return found;
}

/** One problem per repeated value of `field` in a config list, pointing at the first occurrence. */
function duplicateProblems<T>(list: string, items: readonly T[], field: keyof T & string, what: (value: string) => string): ConfigProblem[] {
  return duplicates(items, (item) => String(item[field])).map((d) => ({
    path: `lab:${list}[${d.index}].${field}`,
    message: `duplicate ${what(d.value)} (also lab:${list}[${d.first}])`,
  }));
}

const uniqueNodes: Check = ({ nodes }) =>
  nodes
    ? [
        ...duplicateProblems("nodes", nodes, "name", (v) => `node name "${v}"`),
        ...duplicateProblems("nodes", nodes, "address", (v) => `address ${v}`),
      ]
    : [];

const hasServer: Check = ({ nodes }) =>
  nodes && !nodes.some((n) => n.role === "server")
    ? [{ path: "lab:nodes", message: "at least one node must have role server" }]
    : [];

const uniqueTeams: Check = ({ teams }) => {
  if (!teams) return [];
  return [
    ...duplicateProblems("teams", teams, "name", (v) => `team name "${v}"`),
    ...teams.flatMap((t, i) =>
      RESERVED_NAMESPACES.includes(t.name)
        ? [{ path: `lab:teams[${i}].name`, message: `"${t.name}" is a platform namespace; choose another team name` }]
        : [],
    ),
    ...teams.flatMap((t, i) =>
      duplicates(t.pools, (p) => p).map((d) => ({
        path: `lab:teams[${i}].pools[${d.index}]`,
        message: `pool "${d.value}" is listed twice`,
      })),
    ),
  ];
};

const networks: Check = ({ cluster, teams, nodes }) => {
  if (!cluster) return [];
  const blocks: Array<{ path: string; label: string; text: string }> = [
    { path: "lab:cluster.podCidr", label: "podCidr", text: cluster.podCidr },
    { path: "lab:cluster.serviceCidr", label: "serviceCidr", text: cluster.serviceCidr },
    { path: "lab:cluster.joinCidr", label: "joinCidr", text: cluster.joinCidr },
    ...(teams ?? []).flatMap((t, i) =>
      t.subnet ? [{ path: `lab:teams[${i}].subnet`, label: `subnet of team "${t.name}"`, text: t.subnet }] : [],
    ),
  ];
  const problems: ConfigProblem[] = [];
  blocks.forEach((b, i) => {
    for (const earlier of blocks.slice(0, i)) {
      if (cidrsOverlap(cidr(b.text), cidr(earlier.text))) {
        problems.push({ path: b.path, message: `${b.text} overlaps ${earlier.label} ${earlier.text}` });
      }
    }
  });
  (nodes ?? []).forEach((n, i) => {
    const ip = parseIpv4(n.address)!;
    for (const b of blocks) {
      if (cidrContains(cidr(b.text), ip)) {
        problems.push({ path: `lab:nodes[${i}].address`, message: `${n.address} lies inside ${b.label} ${b.text}` });
      }
    }
  });
  return problems;
};

const teamPools: Check = ({ nodes, teams }) => {
  if (!nodes || !teams) return [];
  const pools = new Set(nodes.map((n) => n.pool));
  const known = [...pools].sort().map((p) => `"${p}"`).join(", ");
  const problems: ConfigProblem[] = teams.flatMap((t, i) =>
    t.pools.flatMap((p, j) =>
      pools.has(p) ? [] : [{ path: `lab:teams[${i}].pools[${j}]`, message: `pool "${p}" has no nodes (pools: ${known})` }],
    ),
  );
  // Servers run the control plane; tainting them for a team would starve system workloads.
  nodes.forEach((n, i) => {
    const user = teams.find((t) => t.pools.includes(n.pool));
    if (n.role === "server" && user) {
      problems.push({
        path: `lab:nodes[${i}].pool`,
        message: `server "${n.name}" is in pool "${n.pool}", which team "${user.name}" uses; servers must stay in a platform pool`,
      });
    }
  });
  return problems;
};

const quotas: Check = ({ cluster, nodes, teams }) => {
  if (!cluster || !nodes || !teams) return [];
  const existing = new Set(nodes.map((n) => n.pool));
  const valid = teams.filter((t) => t.pools.every((p) => existing.has(p)));
  const pools = derivePools(cluster, nodes, valid);
  const derived = new Map(valid.map((t) => [t.name, teamQuota(t, pools)]));
  const demands = valid.map((t) => ({ team: t.name, pools: t.pools, quota: derived.get(t.name)!.quota }));
  const supply = new Map(pools.filter((p) => p.kind !== "platform").map((p) => [p.name, p.allocatable]));
  const path = (team: string, kind: ResourceKind) => `lab:teams[${teams.findIndex((t) => t.name === team)}].quota.${kind}`;
  return findOvercommits(demands, supply).flatMap((o): ConfigProblem[] => {
    if (o.alone) {
      const team = o.teams[0];
      if (o.kind === "pods" && derived.get(team)!.podsDerived) return []; // follows from the cpu problem
      const where = o.pools.length === 1 ? `pool "${o.pools[0]}"` : `pools ${quoteList(o.pools)}`;
      return [{
        path: path(team, o.kind),
        message: `${describeAmount(o.kind, o.demand)} exceed ${where} allocatable capacity of ${describeAmount(o.kind, o.supply)}`,
      }];
    }
    // Teams that share pools must fit them jointly: one problem per team of the violated cut.
    return o.teams.map((team) => ({
      path: path(team, o.kind),
      message:
        `overcommit: teams ${quoteList(o.teams)} are promised ${describeAmount(o.kind, o.demand)} together, ` +
        `but their pools ${quoteList(o.pools)} have ${describeAmount(o.kind, o.supply)} allocatable`,
    }));
  });
};

const scrapeIntervals: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  return Object.entries(monitoring.scrapeIntervals).flatMap(([tier, text]) =>
    durationSeconds(text) > MAX_SCRAPE_INTERVAL_SECONDS
      ? [{ path: `lab:monitoring.scrapeIntervals.${tier}`, message: `${text} exceeds the 2m maximum (longer intervals leave gaps in the 5m lookback)` }]
      : durationSeconds(text) < 1
        ? [{ path: `lab:monitoring.scrapeIntervals.${tier}`, message: `${text} is below the 1s minimum` }]
        : [],
  );
};

export const crossChecks: readonly Check[] = [uniqueNodes, hasServer, uniqueTeams, networks, teamPools, quotas, scrapeIntervals];

export function runCrossChecks(config: Partial<LabConfig>): ConfigProblem[] {
  return crossChecks.flatMap((check) => check(config));
}

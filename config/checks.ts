/**
 * Cross-checks: rules that span several config keys. Each runs when the sections it needs parsed, so
 * one broken section still lets the others be checked; every finding names its config path.
 */
import { RESOURCE_KINDS, RESOURCE_UNITS, findShortfall, round, type ResourceKind } from "./capacity";
import { cidr, cidrContains, cidrsOverlap, parseIpv4 } from "./cidr";
import { durationSeconds } from "./duration";
import { derivePools, teamQuota, poolsAllocatable } from "./model";
import { retentionDays } from "./monitoring";
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

function describe(kind: ResourceKind, amount: number): string {
  return `${round(amount)} ${RESOURCE_UNITS[kind]}`;
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

const quotas: Check = ({ cluster, nodes, teams }) => {
  if (!cluster || !nodes || !teams) return [];
  const existing = new Set(nodes.map((n) => n.pool));
  const valid = teams.filter((t) => t.pools.every((p) => existing.has(p)));
  const pools = derivePools(cluster, nodes, valid);
  const problems: ConfigProblem[] = [];
  // First each team on its own; a team that does not fit its own pools is reported once, there.
  const oversized = new Set<string>();
  const demandsByKind = new Map<ResourceKind, Array<{ team: string; index: number; amount: number; pools: string[] }>>();
  for (const kind of RESOURCE_KINDS) {
    demandsByKind.set(kind, []);
    for (const team of valid) {
      const { quota, podsDerived } = teamQuota(team, pools);
      const available = poolsAllocatable(pools, team.pools)[kind];
      const index = teams.indexOf(team);
      if (quota[kind] > available + 1e-9) {
        oversized.add(team.name);
        if (podsDerived && kind === "pods") continue; // follows from the cpu problem reported above
        const where = team.pools.length === 1 ? `pool "${team.pools[0]}"` : `pools ${quoteList(team.pools)}`;
        problems.push({
          path: `lab:teams[${index}].quota.${kind}`,
          message: `${describe(kind, quota[kind])} exceed ${where} allocatable capacity of ${describe(kind, available)}`,
        });
      }
      demandsByKind.get(kind)!.push({ team: team.name, index, amount: quota[kind], pools: team.pools });
    }
  }
  // Then the teams together: those that share pools must fit them jointly (max-flow over pools).
  for (const kind of RESOURCE_KINDS) {
    const demands = demandsByKind.get(kind)!.filter((d) => !oversized.has(d.team));
    const supply = new Map(pools.filter((p) => p.kind !== "platform").map((p) => [p.name, p.allocatable[kind]]));
    const shortfall = findShortfall(demands, supply);
    if (!shortfall) continue;
    for (const d of demands.filter((d) => shortfall.teams.includes(d.team))) {
      problems.push({
        path: `lab:teams[${d.index}].quota.${kind}`,
        message:
          `overcommit: teams ${quoteList(shortfall.teams)} are promised ${describe(kind, shortfall.demand)} together, ` +
          `but their pools ${quoteList(shortfall.pools)} have ${describe(kind, shortfall.supply)} allocatable`,
      });
    }
  }
  return problems;
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

/** Hot raw retention must cover a week-over-week comparison of the previous full week. */
export const MIN_HOT_RETENTION_DAYS = 14;

const storageTiers: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  const { hot, cold, scrapeIntervals } = monitoring;
  const problems: ConfigProblem[] = [];
  const infra = durationSeconds(scrapeIntervals.infra);
  const resolution = durationSeconds(cold.resolution);
  if (resolution < infra) {
    problems.push({
      path: "lab:monitoring.cold.resolution",
      message: `${cold.resolution} is finer than the infra scrape interval ${scrapeIntervals.infra}; the cold tier would keep every sample`,
    });
  } else if (resolution > MAX_SCRAPE_INTERVAL_SECONDS * 5) {
    problems.push({ path: "lab:monitoring.cold.resolution", message: `${cold.resolution} exceeds 10m; rate() over the cold tier needs at least 4 samples per hour window` });
  }
  if (retentionDays(hot.retention) < MIN_HOT_RETENTION_DAYS) {
    problems.push({ path: "lab:monitoring.hot.retention", message: `${hot.retention} is shorter than 2w; week-over-week comparison needs the previous full week raw` });
  }
  if (retentionDays(cold.retention) <= retentionDays(hot.retention)) {
    problems.push({ path: "lab:monitoring.cold.retention", message: `${cold.retention} does not outlive the hot tier (${hot.retention}); the cold tier would add nothing` });
  }
  if (hot.replicationFactor > hot.storageNodes) {
    problems.push({
      path: "lab:monitoring.hot.replicationFactor",
      message: `${hot.replicationFactor} copies need at least ${hot.replicationFactor} storage nodes (hot.storageNodes is ${hot.storageNodes})`,
    });
  }
  return problems;
};

const backupTarget: Check = ({ monitoring }) => {
  const backup = monitoring?.backup;
  if (!backup) return [];
  const s3 = backup.target.startsWith("s3://");
  const problems: ConfigProblem[] = [];
  if (s3 && !backup.s3) problems.push({ path: "lab:monitoring.backup.s3", message: "is required for an s3:// target (credentialsSecret at least)" });
  if (!s3 && !backup.nfs) problems.push({ path: "lab:monitoring.backup.nfs", message: "is required for an fs:// target: the NFS export mounted at that path" });
  if (!s3 && backup.s3) problems.push({ path: "lab:monitoring.backup.s3", message: "applies only to s3:// targets" });
  if (s3 && backup.nfs) problems.push({ path: "lab:monitoring.backup.nfs", message: "applies only to fs:// targets" });
  return problems;
};

const alertRouting: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  const { receivers, routes } = monitoring.alerting;
  const problems = duplicateProblems("monitoring.alerting.receivers", receivers, "name", (v) => `receiver name "${v}"`);
  const names = receivers.map((r) => r.name);
  receivers.forEach((r, i) => {
    if (r.name === "null") {
      problems.push({ path: `lab:monitoring.alerting.receivers[${i}].name`, message: '"null" is reserved for the Watchdog meta-alerts; choose another name' });
    }
  });
  for (const route of ["comparability", "labHealth"] as const) {
    if (!names.includes(routes[route])) {
      problems.push({
        path: `lab:monitoring.alerting.routes.${route}`,
        message: `receiver "${routes[route]}" is not defined (receivers: ${names.map((n) => `"${n}"`).join(", ")})`,
      });
    }
  }
  if (routes.comparability === routes.labHealth) {
    problems.push({
      path: "lab:monitoring.alerting.routes.comparability",
      message: `must differ from routes.labHealth ("${routes.labHealth}"): comparability alerts go to the experimenters, lab-health alerts to the operators`,
    });
  }
  return problems;
};

export const crossChecks: readonly Check[] = [
  uniqueNodes, hasServer, uniqueTeams, networks, teamPools, quotas, scrapeIntervals, storageTiers, backupTarget, alertRouting,
];

export function runCrossChecks(config: Partial<LabConfig>): ConfigProblem[] {
  return crossChecks.flatMap((check) => check(config));
}

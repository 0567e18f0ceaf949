/**
 * Cross-checks: rules that span several config keys. Each runs when the sections it needs parsed, so
 * one broken section still lets the others be checked; every finding names its config path.
 */
import { describeAmount, findOvercommits, quoteList, round, type ResourceKind } from "./capacity";
import { cidr, cidrContains, cidrsOverlap, parseIpv4 } from "./cidr";
import { durationSeconds, formatSeconds } from "./duration";
import { fleetWorkspaceNamespace, MAX_TEAM_NAME_WITH_REPOS } from "./fleet-names";
import { calibrationRunSeconds, windowSeconds } from "./health";
import { derivePools, teamQuota } from "./model";
import type { ConfigProblem } from "./problems";
import { parseCpuCores, parseMemoryGiB } from "./quantity";
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

const networks: Check = ({ cluster, teams, nodes, network }) => {
  if (!cluster) return [];
  const blocks: Array<{ path: string; label: string; text: string }> = [
    { path: "lab:cluster.podCidr", label: "podCidr", text: cluster.podCidr },
    { path: "lab:cluster.serviceCidr", label: "serviceCidr", text: cluster.serviceCidr },
    { path: "lab:cluster.joinCidr", label: "joinCidr", text: cluster.joinCidr },
    ...(network?.monitoringSubnet
      ? [{ path: "lab:network.monitoringSubnet", label: "monitoringSubnet", text: network.monitoringSubnet }]
      : []),
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

// Private team subnets admit their own subnet and the monitoring subnet; without one, no scraping.
const monitoringSubnet: Check = ({ teams, network }) => {
  if (!teams || !network) return [];
  const clash = teams.flatMap((t, i) =>
    t.name === network.monitoringNamespace
      ? [{ path: `lab:teams[${i}].name`, message: `"${t.name}" is the monitoring namespace (lab:network.monitoringNamespace)` }]
      : [],
  );
  if (network.monitoringSubnet) return clash;
  const first = teams.findIndex((t) => t.subnet);
  if (first < 0) return clash;
  return [...clash, {
    path: "lab:network.monitoringSubnet",
    message: `required when a team has a subnet (lab:teams[${first}].subnet): private team subnets admit only their own subnet and the monitoring subnet`,
  }];
};

const gateways: Check = ({ teams, nodes, network }) => {
  if (!network) return [];
  const nodeNames = new Set((nodes ?? []).map((n) => n.name));
  const check = (path: string, gateway: (typeof network)["gateway"]): ConfigProblem[] => {
    if (gateway.type === "distributed") {
      return gateway.nodes.length > 0 ? [{ path: `${path}.nodes`, message: "gateway nodes apply only to a centralized gateway" }] : [];
    }
    if (gateway.nodes.length === 0) return [{ path: `${path}.nodes`, message: "a centralized gateway needs at least one node" }];
    return nodes
      ? gateway.nodes.flatMap((n, i) => (nodeNames.has(n) ? [] : [{ path: `${path}.nodes[${i}]`, message: `node "${n}" is not in lab:nodes` }]))
      : [];
  };
  const problems = check("lab:network.gateway", network.gateway);
  for (const [team, gateway] of Object.entries(network.gateways)) {
    const path = `lab:network.gateways.${team}`;
    if (teams && !teams.some((t) => t.name === team && t.subnet)) {
      problems.push({ path, message: `team "${team}" has no subnet in lab:teams` });
    }
    problems.push(...check(path, gateway));
  }
  return problems;
};

// A node's bandwidth capacity is its NIC's line rate; without it the scheduler would guess.
const bandwidthNics: Check = ({ nodes, network }) =>
  network?.bandwidth.enabled && nodes
    ? nodes.flatMap((n, i) =>
        n.nic ? [] : [{ path: `lab:nodes[${i}].nic`, message: "required when lab:network.bandwidth.enabled is true (the node's bandwidth capacity is nic.gbps)" }],
      )
    : [];

/**
 * Kube-OVN runs ovs-ovn, kube-ovn-cni and kube-ovn-pinger on every node. Their requests come out of
 * `systemReserved`, which capacity checks subtract; requests beyond it would make team quotas promise
 * capacity the scheduler cannot give.
 */
const kubeOvnFitsReserved: Check = ({ cluster, network }) => {
  if (!cluster || !network) return [];
  const { ovsOvn, cni, pinger } = network.kubeOvn.resources;
  const parts = [["ovs-ovn", ovsOvn], ["kube-ovn-cni", cni], ["kube-ovn-pinger", pinger]] as const;
  const reserved = cluster.systemReserved;
  const total = (parse: (q: string) => number | undefined, pick: (r: typeof ovsOvn) => string) =>
    parts.reduce((sum, [, r]) => sum + (parse(pick(r)) ?? 0), 0);
  const detail = (pick: (r: typeof ovsOvn) => string) => parts.map(([name, r]) => `${name} ${pick(r)}`).join(", ");
  const problems: ConfigProblem[] = [];
  const cpu = total(parseCpuCores, (r) => r.requests.cpu);
  if (cpu > reserved.cpu + 1e-9) {
    problems.push({
      path: "lab:cluster.systemReserved.cpu",
      message: `${reserved.cpu} cores kept per node, but Kube-OVN's per-node pods request ${round(cpu)} cores (${detail((r) => r.requests.cpu)}; lab:network.kubeOvn.resources)`,
    });
  }
  const memory = total(parseMemoryGiB, (r) => r.requests.memory);
  if (memory > reserved.memoryGiB + 1e-9) {
    problems.push({
      path: "lab:cluster.systemReserved.memoryGiB",
      message: `${reserved.memoryGiB} GiB kept per node, but Kube-OVN's per-node pods request ${round(memory)} GiB (${detail((r) => r.requests.memory)}; lab:network.kubeOvn.resources)`,
    });
  }
  return problems;
};

// Each team with repos gets a Fleet workspace namespace; it must be a valid, unused name.
const fleetWorkspaces: Check = ({ teams }) => {
  if (!teams) return [];
  const names = new Set(teams.map((t) => t.name));
  return teams.flatMap((t, i) => {
    if (t.repos.length === 0) return [];
    const workspace = fleetWorkspaceNamespace(t.name);
    if (t.name.length > MAX_TEAM_NAME_WITH_REPOS) {
      return [{ path: `lab:teams[${i}].name`, message: `at most ${MAX_TEAM_NAME_WITH_REPOS} characters for a team with repos (its Fleet namespace is "${workspace}")` }];
    }
    return names.has(workspace) ? [{ path: `lab:teams[${i}].name`, message: `its Fleet namespace "${workspace}" is also a team name` }] : [];
  });
};

/** Health windows must hold enough scrapes, and the calibration must fit its pools, window and namespaces. */
const health: Check = ({ health, monitoring, nodes, teams }) => {
  if (!health) return [];
  const problems: ConfigProblem[] = [];
  const { windows, calibration } = health;
  if (monitoring) {
    const scrape = durationSeconds(monitoring.scrapeIntervals.infra);
    const infra = `lab:monitoring.scrapeIntervals.infra ${monitoring.scrapeIntervals.infra}`;
    if (durationSeconds(windows.gate) < 4 * scrape) {
      problems.push({ path: "lab:health.windows.gate", message: `${windows.gate} holds fewer than 4 scrapes at ${infra} (rate() needs 4 samples)` });
    }
    const needed = Math.ceil(1 / Math.max(1e-9, 1 - health.minAvailability));
    const held = Math.floor(durationSeconds(windows.completeness) / scrape);
    if (health.minAvailability < 1 && held < needed) {
      problems.push({
        path: "lab:health.windows.completeness",
        message: `${windows.completeness} holds ${held} scrapes at ${infra}; availability ${health.minAvailability} can only be judged over at least ${needed}`,
      });
    }
  }
  if (durationSeconds(windows.baselineExclude) >= durationSeconds(windows.baseline)) {
    problems.push({ path: "lab:health.windows.baselineExclude", message: `${windows.baselineExclude} leaves nothing of the ${windows.baseline} baseline window` });
  }
  if (!calibration.enabled) return problems;
  if (nodes) {
    const pools = [...new Set(nodes.map((n) => n.pool))].sort();
    (calibration.pools ?? []).forEach((pool, i) => {
      if (!pools.includes(pool)) {
        problems.push({ path: `lab:health.calibration.pools[${i}]`, message: `pool "${pool}" has no nodes (pools: ${pools.map((p) => `"${p}"`).join(", ")})` });
      }
    });
  }
  const window = windowSeconds(calibration.window);
  const run = calibrationRunSeconds(calibration);
  if (window < run) {
    problems.push({
      path: "lab:health.calibration.window",
      message: `${calibration.window.start}-${calibration.window.end} UTC (${formatSeconds(window)}) is shorter than one calibration run (${formatSeconds(run)} with the configured benchmark durations)`,
    });
  }
  (teams ?? []).forEach((team) => {
    if (team.name === calibration.namespace) {
      problems.push({ path: "lab:health.calibration.namespace", message: `"${team.name}" is the namespace of team "${team.name}"; calibration pods would count as that team's pods` });
    }
    health.foreignLoad.systemNamespaces.forEach((ns, j) => {
      if (ns === team.name) {
        problems.push({ path: `lab:health.foreignLoad.systemNamespaces[${j}]`, message: `"${ns}" is the namespace of team "${team.name}"; listing it as a system namespace would hide that team's load everywhere` });
      }
    });
  });
  return problems;
};

export const crossChecks: readonly Check[] = [
  uniqueNodes, hasServer, uniqueTeams, networks, teamPools, quotas, scrapeIntervals,
  monitoringSubnet, gateways, bandwidthNics, kubeOvnFitsReserved, fleetWorkspaces, health,
];

export function runCrossChecks(config: Partial<LabConfig>): ConfigProblem[] {
  return crossChecks.flatMap((check) => check(config));
}

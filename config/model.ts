/**
 * LabModel: the validated config plus everything derived from it. Components read only this; no
 * component reads pulumi.Config. Every derivation here is a pure function with its own tests.
 */
import { addResources, allocatable, sumResources, ZERO, type Resources } from "./capacity";
import { cidr, cidrAddress } from "./cidr";
import type { ActiveLease } from "./leases/assignment";
import { leaseAnnotations, leaseLabels, leaseState } from "./leases/state";
import { durationSeconds } from "./duration";
import { teamAccessLabelName } from "./k8s-names";
import { retentionDays } from "./monitoring";
import { objectBudget, type ObjectBudget } from "./object-counts";
import type { LabConfig, NodeConfig, TeamConfig } from "./schema";

export type PoolKind = "platform" | "dedicated" | "shared";

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule";
}

export interface Toleration {
  readonly key: string;
  readonly operator: "Equal";
  readonly value: string;
  readonly effect: "NoSchedule";
}

export interface NodeModel extends NodeConfig {
  /** Position in `lab:nodes`, for messages. */
  readonly index: number;
  readonly poolKind: PoolKind;
  readonly capacity: Resources;
  readonly allocatable: Resources;
  /** Labels the stack puts on the node: pool membership and team access. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Pool in `lab:nodes` (where the node is when no lease holds it). */
  readonly homePool: string;
  /** The lease holding the node at the model's instant, and its next one (config/leases). */
  readonly lease?: ActiveLease;
  readonly nextLease?: ActiveLease;
  /** Annotations of the node's current and next lease. */
  readonly leaseAnnotations: Readonly<Record<string, string>>;
}

export interface PoolModel {
  readonly name: string;
  readonly kind: PoolKind;
  readonly nodes: readonly string[];
  readonly teams: readonly string[];
  readonly capacity: Resources;
  readonly allocatable: Resources;
}

export interface TeamModel extends Omit<TeamConfig, "quota"> {
  readonly index: number;
  readonly namespace: string;
  /** Quota with `pods` filled in when the config left it out; a borrower's includes its active leases. */
  readonly quota: Resources;
  /** Quota on the team's home pools alone (no lease): what the team is promised whatever the instant. */
  readonly homeQuota: Resources;
  readonly podsDerived: boolean;
  /** What all of the team's pools can give. */
  readonly poolAllocatable: Resources;
  /** Node selector that admission (PodNodeSelector) forces on every pod of the namespace. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Tolerations for the taints of the team's pools (PodTolerationRestriction). */
  readonly tolerations: readonly Toleration[];
  /**
   * The most Mbit/s one pod may reserve per direction with Kube-OVN's QoS annotations
   * (`ovn.kubernetes.io/ingress_rate` / `egress_rate`): teamBandwidthShare.
   */
  readonly maxPodMbps: number;
  /** How many objects of each kind the team may keep (config/object-counts.ts). */
  readonly objectBudget: ObjectBudget;
}

/**
 * A team's bandwidth share, in whole Mbit/s: its cpu share of its pools (quota cpu / pools'
 * allocatable cpu, at most 1) times the slowest NIC among those pools' nodes (`nic.gbps`; nodes
 * without one count at `lab:network.bandwidth.localMbps`). One pod may not reserve more of a node
 * than the team's share of it.
 */
export function teamBandwidthShare(quotaCpu: number, poolCpu: number, poolNodes: readonly Pick<NodeConfig, "nic">[], localMbps: number): number {
  const share = poolCpu > 0 ? Math.min(1, quotaCpu / poolCpu) : 0;
  const slowest = Math.min(localMbps, ...poolNodes.map((n) => (n.nic ? Math.round(n.nic.gbps * 1000) : localMbps)));
  return Math.floor(share * slowest);
}

/** Sections the model derives from; every other config section passes through unchanged. */
type DerivedSections = "cluster" | "ssh" | "nodes" | "teams" | "monitoring";

export interface BuildOptions {
  /** The instant (ms since the epoch) the model describes; leases active then are applied. Default: none (every node at home). */
  readonly at?: number;
}

export type LabModel = Omit<LabConfig, DerivedSections> & {
  readonly stack: string;
  /** The instant the model describes (ms since the epoch), or undefined when built without one. */
  readonly at: number | undefined;
  readonly cluster: LabConfig["cluster"] & {
    /** Cluster DNS service address: the 10th address of the service CIDR, as k3s does. */
    readonly clusterDns: string;
    readonly apiEndpoint: string;
    readonly nodeNetworks: readonly string[];
    readonly poolLabel: string;
  };
  readonly ssh: Omit<LabConfig["ssh"], "privateKey"> & { readonly inlineKey: boolean };
  readonly nodes: readonly NodeModel[];
  readonly servers: readonly NodeModel[];
  readonly agents: readonly NodeModel[];
  readonly pools: readonly PoolModel[];
  readonly teams: readonly TeamModel[];
  readonly monitoring: LabConfig["monitoring"] & {
    readonly scrapeSeconds: { readonly infra: number; readonly inventory: number; readonly experiment: number };
    /** Namespace of the monitoring stack. */
    readonly namespace: string;
    /** Namespaces whose pods the experiment tier scrapes: the team namespaces. */
    readonly experimentNamespaces: readonly string[];
    /** Pod label whose value becomes `experiment_id`. */
    readonly experimentLabel: string;
    readonly coldResolutionSeconds: number;
    readonly retentionDays: { readonly hot: number; readonly cold: number };
  };
};

export function poolLabelKey(labelDomain: string): string {
  return `${labelDomain}/pool`;
}

export function teamAccessLabelKey(labelDomain: string, team: string): string {
  return `${labelDomain}/${teamAccessLabelName(team)}`;
}

function nodeCapacity(node: NodeConfig, maxPods: number): Resources {
  return { cpu: node.cpu, memoryGiB: node.memoryGiB, pods: maxPods };
}

/** Pools implied by the nodes, with the teams that name them and their capacity. Sorted by name. */
export function derivePools(cluster: LabConfig["cluster"], nodes: readonly NodeConfig[], teams: readonly TeamConfig[]): PoolModel[] {
  const names = [...new Set(nodes.map((n) => n.pool))].sort();
  return names.map((name) => {
    const members = nodes.filter((n) => n.pool === name);
    const users = teams.filter((t) => t.pools.includes(name)).map((t) => t.name);
    const kind: PoolKind = users.length === 0 ? "platform" : users.length === 1 ? "dedicated" : "shared";
    const capacities = members.map((n) => nodeCapacity(n, cluster.maxPods));
    return {
      name,
      kind,
      nodes: members.map((n) => n.name),
      teams: users,
      capacity: sumResources(capacities),
      allocatable: sumResources(capacities.map((c) => allocatable(c, cluster.systemReserved))),
    };
  });
}

/** What a team's pools can give in total. */
export function poolsAllocatable(pools: readonly PoolModel[], names: readonly string[]): Resources {
  return sumResources(pools.filter((p) => names.includes(p.name)).map((p) => p.allocatable));
}

/**
 * A team's quota; when `pods` is not set it is the team's cpu share of its pools' pod slots, so that
 * teams that do not overcommit cpu do not overcommit pods either.
 */
export function teamQuota(team: TeamConfig, pools: readonly PoolModel[]): { quota: Resources; podsDerived: boolean } {
  const { cpu, memoryGiB } = team.quota;
  if (team.quota.pods !== undefined) return { quota: { cpu, memoryGiB, pods: team.quota.pods }, podsDerived: false };
  const available = poolsAllocatable(pools, team.pools);
  const share = available.cpu > 0 ? Math.min(1, cpu / available.cpu) : 0;
  return { quota: { cpu, memoryGiB, pods: Math.floor(share * available.pods) }, podsDerived: true };
}

/**
 * The monitoring section with its intervals in seconds, retentions in days and the experiment scrape
 * scope. Its namespace is `lab:network.monitoringNamespace`, the one name every layer uses.
 */
export function deriveMonitoring(
  monitoring: LabConfig["monitoring"],
  labelDomain: string,
  teams: readonly { namespace: string }[],
  namespace: string,
): LabModel["monitoring"] {
  return {
    ...monitoring,
    scrapeSeconds: {
      infra: durationSeconds(monitoring.scrapeIntervals.infra),
      inventory: durationSeconds(monitoring.scrapeIntervals.inventory),
      experiment: durationSeconds(monitoring.scrapeIntervals.experiment),
    },
    namespace,
    experimentNamespaces: teams.map((t) => t.namespace),
    experimentLabel: monitoring.experiment.experimentLabel ?? `${labelDomain}/experiment`,
    coldResolutionSeconds: durationSeconds(monitoring.cold.resolution),
    retentionDays: { hot: retentionDays(monitoring.hot.retention), cold: retentionDays(monitoring.cold.retention) },
  };
}

export function buildModel(config: LabConfig, stack: string, options: BuildOptions = {}): LabModel {
  const { cluster } = config;
  // At the instant: leased nodes in their lease pool, borrowers with that pool (config/leases).
  const leases = leaseState(config, options.at);
  const { nodes, teams } = leases;
  const homePools = derivePools(cluster, config.nodes, config.teams);
  const pools = derivePools(cluster, nodes, teams);
  const poolByName = new Map(pools.map((p) => [p.name, p]));
  const poolKey = poolLabelKey(cluster.labelDomain);

  const nodeModels: NodeModel[] = nodes.map((node, index) => {
    const pool = poolByName.get(node.pool)!;
    const capacity = nodeCapacity(node, cluster.maxPods);
    const { lease, next } = leases.assignment.nodes.get(node.name)!;
    const labels: Record<string, string> = { [poolKey]: node.pool, ...leaseLabels(cluster.labelDomain, lease) };
    for (const team of pool.teams) labels[teamAccessLabelKey(cluster.labelDomain, team)] = "true";
    const taints: Taint[] = pool.kind === "platform" ? [] : [{ key: poolKey, value: node.pool, effect: "NoSchedule" }];
    return {
      ...node, index, poolKind: pool.kind, capacity, allocatable: allocatable(capacity, cluster.systemReserved), labels, taints,
      homePool: config.nodes[index].pool, lease, nextLease: next, leaseAnnotations: leaseAnnotations(cluster.labelDomain, lease, next),
    };
  });

  const allTeamsCpu = config.teams.reduce((sum, t) => sum + t.quota.cpu, 0);
  const teamModels: TeamModel[] = teams.map((team, index) => {
    // Quotas are promised on the home pools; a borrower's grows by its leases (config/leases/view.ts).
    const home = teamQuota(config.teams[index], homePools);
    const quota = addResources(home.quota, leases.leaseQuota.get(team.name) ?? ZERO);
    const podsDerived = home.podsDerived;
    return {
      ...team,
      index,
      namespace: team.name,
      quota,
      homeQuota: home.quota,
      podsDerived,
      poolAllocatable: poolsAllocatable(pools, team.pools),
      nodeSelector: { [teamAccessLabelKey(cluster.labelDomain, team.name)]: "true" },
      tolerations: team.pools
        .filter((p) => poolByName.get(p)?.kind !== "platform")
        .map((p) => ({ key: poolKey, operator: "Equal", value: p, effect: "NoSchedule" })),
      maxPodMbps: teamBandwidthShare(
        quota.cpu,
        poolsAllocatable(pools, team.pools).cpu,
        nodes.filter((n) => team.pools.includes(n.pool)),
        config.network.bandwidth.localMbps,
      ),
      objectBudget: objectBudget({ cpu: home.quota.cpu, pods: quota.pods, allTeamsCpu, etcdQuotaGiB: cluster.etcdQuotaGiB, serviceCidr: cluster.serviceCidr }),
    };
  });

  const servers = nodeModels.filter((n) => n.role === "server");
  const { privateKey, ...ssh } = config.ssh;
  return {
    ...config,
    stack,
    at: options.at,
    cluster: {
      ...cluster,
      clusterDns: cidrAddress(cidr(cluster.serviceCidr), 10),
      apiEndpoint: cluster.apiEndpoint ?? servers[0].address,
      nodeNetworks: cluster.nodeNetworks ?? nodes.map((n) => `${n.address}/32`),
      poolLabel: poolKey,
    },
    ssh: { ...ssh, inlineKey: privateKey !== undefined },
    nodes: nodeModels,
    servers,
    agents: nodeModels.filter((n) => n.role === "agent"),
    pools,
    teams: teamModels,
    monitoring: deriveMonitoring(config.monitoring, cluster.labelDomain, teamModels, config.network.monitoringNamespace),
  };
}

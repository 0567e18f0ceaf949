/** Cross-checks of the cluster networks, Kube-OVN, bandwidth scheduling and Fleet workspaces. */
import { round } from "../capacity";
import { cidr, cidrContains, cidrsOverlap, parseIpv4 } from "../cidr";
import { fleetWorkspaceNamespace, MAX_TEAM_NAME_WITH_REPOS } from "../fleet-names";
import type { ConfigProblem } from "../problems";
import { parseCpuCores, parseMemoryGiB } from "../quantity";
import type { Check } from "./util";

export const networks: Check = ({ cluster, teams, nodes, network }) => {
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

// Private team subnets admit their own subnet and the monitoring subnet; without one, no scraping.
export const monitoringSubnet: Check = ({ teams, network }) => {
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

export const gateways: Check = ({ teams, nodes, network }) => {
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
export const bandwidthNics: Check = ({ nodes, network }) =>
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
export const kubeOvnFitsReserved: Check = ({ cluster, network }) => {
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
export const fleetWorkspaces: Check = ({ teams }) => {
  if (!teams) return [];
  const names = new Set(teams.map((t) => t.name));
  return teams.flatMap((t, i) => {
    if (t.repos.length === 0) return [];
    const workspace = fleetWorkspaceNamespace(t.name);
    if (t.name.length > MAX_TEAM_NAME_WITH_REPOS) {
      return [{
        path: `lab:teams[${i}].name`,
        message: `at most ${MAX_TEAM_NAME_WITH_REPOS} characters for a team with repos (Fleet cuts bundle names to 53 characters keeping 47; the team's bundle names must keep "${t.name}-")`,
      }];
    }
    return names.has(workspace) ? [{ path: `lab:teams[${i}].name`, message: `its Fleet namespace "${workspace}" is also a team name` }] : [];
  });
};

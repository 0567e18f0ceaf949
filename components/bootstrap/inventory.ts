/**
 * The Ansible inventory, generated from the lab model: one pure function, no hand-kept inventory.
 *
 * Groups: `servers` and `agents` (the playbook's targets; they carry the host vars) and one
 * `pool_<name>` group per pool (membership only, for operators' ad-hoc runs such as
 * `ansible pool_experiments -m ping`). `all.vars` holds what every host needs.
 */
import * as yaml from "js-yaml";
import { durationSeconds } from "../../config/duration";
import type { LabModel, NodeModel } from "../../config/model";
import { apiServerUrl } from "./kubeconfig";
import { mergeCidrs } from "./networks";

export type InventoryValue = string | number | boolean | readonly string[];
export type HostVars = Readonly<Record<string, InventoryValue>>;

export interface InventoryGroup {
  readonly hosts: Readonly<Record<string, HostVars>>;
}

export interface Inventory {
  readonly all: {
    readonly vars: HostVars;
    readonly children: Readonly<Record<string, InventoryGroup>>;
  };
}

export const SERVERS_GROUP = "servers";
export const AGENTS_GROUP = "agents";
/** Reset inventory only: the server the leaving node is drained from. */
export const CONTROL_GROUP = "control";

/** Pool names are DNS labels; Ansible group names may not contain '-', and no label contains '_'. */
export function poolGroupName(pool: string): string {
  return `pool_${pool.replace(/-/g, "_")}`;
}

export function roleGroup(node: Pick<NodeModel, "role">): string {
  return node.role === "server" ? SERVERS_GROUP : AGENTS_GROUP;
}

/** The API server URL every other node joins through: the first server's address. */
export function joinUrl(model: LabModel): string {
  return apiServerUrl(model.servers[0].address);
}

function uniq(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Sources allowed to reach the cluster ports on every host (kubelet, node_exporter, Kube-OVN metrics,
 * etcd, OVN databases, Geneve), merged into as few blocks as possible. Pod-to-host traffic leaves a
 * Kube-OVN pod through `ovn0` with the pod's own address, so every subnet whose pods legitimately
 * reach host ports is listed: the node networks (host-network pods, the nodes), the default pod
 * subnet `podCidr` (system pods: metrics-server, kube-state-metrics, Fleet), the join CIDR (node <->
 * pod through ovn0) and `lab:network.monitoringSubnet` (vmagent scrapes node_exporter, the kubelet
 * and kube-ovn-cni on the host). Team subnets are not: experiments never reach host ports.
 */
export function hostPortSources(model: LabModel): string[] {
  const { cluster, network } = model;
  return mergeCidrs([...cluster.nodeNetworks, cluster.podCidr, cluster.joinCidr, ...(network.monitoringSubnet ? [network.monitoringSubnet] : [])]);
}

/**
 * Who may reach the calibration's iperf3 server (components/health/calibration/jobs.ts). It runs with
 * hostNetwork, so NetworkPolicies (enforced by Kube-OVN on pod ports) never see its traffic, and
 * binding it to the node address does not stop a pod from sending there. Only the host firewall
 * holds: the clients are the calibration CronJobs, which also run with hostNetwork and so connect
 * from a node address. Pod subnets (a team's, the default one, the join CIDR, monitoring) are not
 * listed: a team pod could otherwise saturate another team's dedicated NIC (issue 20 item 8).
 */
export function calibrationSources(model: LabModel): string[] {
  return mergeCidrs(model.cluster.nodeNetworks);
}

/** The calibration's iperf3 port (TCP and UDP), or none when calibration is off. */
export function calibrationPorts(model: LabModel): string[] {
  return model.health.calibration.enabled ? [String(model.health.calibration.iperf.port)] : [];
}

/** Vars every host of the bootstrap playbook reads. */
function clusterVars(model: LabModel): HostVars {
  const { cluster, hosts } = model;
  // The SSH login (ansible_user/port) is not here: the commands pass it in their secret environment.
  return {
    lab_cluster_name: cluster.name,
    k3s_version: cluster.k3sVersion,
    k3s_install_script_url: hosts.k3sInstallScriptUrl,
    k3s_server_url: joinUrl(model),
    k3s_cluster_cidr: cluster.podCidr,
    k3s_service_cidr: cluster.serviceCidr,
    k3s_cluster_dns: cluster.clusterDns,
    k3s_tls_sans: uniq([cluster.apiEndpoint, ...cluster.tlsSans]),
    k3s_max_pods: cluster.maxPods,
    // Bytes, from lab:cluster.etcdQuotaGiB; the teams' object counts are sized from it (config/object-counts.ts).
    k3s_etcd_quota_bytes: cluster.etcdQuotaGiB * 1024 ** 3,
    lab_join_cidr: cluster.joinCidr,
    lab_node_networks: mergeCidrs(cluster.nodeNetworks),
    lab_firewall_enabled: hosts.firewall.enabled,
    lab_firewall_cluster_sources: hostPortSources(model),
    lab_firewall_api_sources: mergeCidrs(hosts.firewall.apiAllowedFrom),
    lab_firewall_calibration_sources: calibrationSources(model),
    lab_firewall_calibration_ports: calibrationPorts(model),
    lab_time_servers: hosts.timeServers,
    lab_textfile_dir: hosts.textfileDir,
  };
}

/** What the playbook needs to know about one machine. */
export function hostVars(model: LabModel, node: NodeModel): HostVars {
  const vars: Record<string, InventoryValue> = {
    ansible_host: node.address,
    k3s_node_name: node.name,
    k3s_node_ip: node.address,
    // Experiment pools (a team's) run at a fixed CPU frequency; platform pools keep the kernel default.
    lab_cpu_governor: node.poolKind === "platform" ? "" : model.hosts.experimentCpuGovernor,
  };
  if (node.role === "server") vars.k3s_first_server = node.name === model.servers[0].name;
  return vars;
}

/** The whole lab's inventory. */
export function buildInventory(model: LabModel): Inventory {
  const group = (nodes: readonly NodeModel[], vars: (n: NodeModel) => HostVars): InventoryGroup => ({
    hosts: Object.fromEntries(nodes.map((n) => [n.name, vars(n)])),
  });
  const children: Record<string, InventoryGroup> = {
    [SERVERS_GROUP]: group(model.servers, (n) => hostVars(model, n)),
    [AGENTS_GROUP]: group(model.agents, (n) => hostVars(model, n)),
  };
  for (const pool of model.pools) {
    children[poolGroupName(pool.name)] = group(
      model.nodes.filter((n) => n.pool === pool.name),
      () => ({}),
    );
  }
  return { all: { vars: clusterVars(model), children } };
}

/**
 * One host's slice of the inventory: `all.vars` and its own entry in its role group. This is all the
 * bootstrap playbook reads for that host, so its hash changes exactly when that host must be re-run,
 * and editing another node never touches it.
 */
export function hostInventory(inventory: Inventory, host: string): Inventory {
  for (const name of [SERVERS_GROUP, AGENTS_GROUP]) {
    const vars = inventory.all.children[name]?.hosts[host];
    if (vars) return { all: { vars: inventory.all.vars, children: { [name]: { hosts: { [host]: vars } } } } };
  }
  throw new Error(`host "${host}" is in neither the ${SERVERS_GROUP} nor the ${AGENTS_GROUP} group`);
}

/**
 * The inventory of the reset playbook for a leaving node: the node itself and the first server
 * (group `control`), from which it is drained.
 */
export function resetInventory(model: LabModel, node: NodeModel): Inventory {
  const first = model.servers[0];
  return {
    all: {
      vars: {
        lab_drain_timeout_seconds: durationSeconds(model.hosts.drainTimeout),
      },
      children: {
        [roleGroup(node)]: { hosts: { [node.name]: { ansible_host: node.address, k3s_node_name: node.name } } },
        [CONTROL_GROUP]: { hosts: { [first.name]: { ansible_host: first.address } } },
      },
    },
  };
}

/** A string Ansible must never template: written with the `!unsafe` tag. */
class UnsafeText {
  constructor(readonly text: string) {}
}

/**
 * Ansible's `!unsafe` tag (ansible-core 2.14 parsing/yaml/constructor.py: the YAML loader that the
 * `yaml` inventory plugin uses wraps the value as AnsibleUnsafeText, which the templar never renders).
 */
const UNSAFE_TAG = new yaml.Type("!unsafe", {
  kind: "scalar",
  instanceOf: UnsafeText,
  represent: (value) => (value as UnsafeText).text,
  construct: (data: string) => data,
});

/** js-yaml schema of the generated inventory: `!unsafe` strings load as plain strings. */
export const INVENTORY_SCHEMA = yaml.DEFAULT_SCHEMA.extend([UNSAFE_TAG]);

/** Every string of `value` (not the keys) tagged unsafe; numbers and booleans are never templated. */
function tagUnsafe(value: unknown): unknown {
  if (typeof value === "string") return new UnsafeText(value);
  if (Array.isArray(value)) return value.map(tagUnsafe);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagUnsafe(v)]));
  }
  return value;
}

/**
 * Deterministic YAML (sorted keys), the form Ansible reads and the triggers hash. Every string value
 * is tagged `!unsafe`, whatever field it came from, so no config text is ever evaluated as a Jinja
 * template, including by a field added later; host names (keys) are validated DNS names.
 */
export function dumpInventory(inventory: Inventory): string {
  return yaml.dump(tagUnsafe(inventory), { sortKeys: true, lineWidth: -1, noRefs: true, schema: INVENTORY_SCHEMA });
}

/** Reads a generated inventory back (tests, tools): `!unsafe` strings as plain strings. */
export function loadInventory(text: string): unknown {
  return yaml.load(text, { schema: INVENTORY_SCHEMA });
}

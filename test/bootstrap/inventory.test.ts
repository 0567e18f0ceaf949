import { describe, expect, it } from "vitest";
import { buildInventory, dumpInventory, hostInventory, loadInventory, poolGroupName, resetInventory } from "../../components/bootstrap/inventory";
import { mergeCidrs } from "../../components/bootstrap/networks";
import { loadLabModel } from "../../config/load";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();
const model = loadLabModel(example, "lab");

describe("mergeCidrs", () => {
  it("writes the same address set with the fewest aligned blocks", () => {
    expect(mergeCidrs(["192.0.2.11/32", "192.0.2.12/32", "192.0.2.13/32", "192.0.2.14/32", "192.0.2.15/32", "192.0.2.16/32", "192.0.2.21/32"])).toEqual([
      "192.0.2.11/32",
      "192.0.2.12/30",
      "192.0.2.16/32",
      "192.0.2.21/32",
    ]);
  });
  it("absorbs blocks inside others, joins neighbours and keeps gaps", () => {
    expect(mergeCidrs(["10.0.0.0/24", "10.0.0.128/25", "10.0.1.0/24", "10.0.3.0/24"])).toEqual(["10.0.0.0/23", "10.0.3.0/24"]);
    expect(mergeCidrs(["0.0.0.0/0", "192.0.2.11/32"])).toEqual(["0.0.0.0/0"]);
    expect(mergeCidrs([])).toEqual([]);
  });
  it("collapses 1000 consecutive /32s into the blocks Python's ipaddress.summarize_address_range gives", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `10.200.${Math.floor((i + 10) / 256)}.${(i + 10) % 256}/32`);
    expect(mergeCidrs(many.reverse())).toEqual([
      "10.200.0.10/31", "10.200.0.12/30", "10.200.0.16/28", "10.200.0.32/27", "10.200.0.64/26", "10.200.0.128/25", "10.200.1.0/24",
      "10.200.2.0/24", "10.200.3.0/25", "10.200.3.128/26", "10.200.3.192/27", "10.200.3.224/28", "10.200.3.240/31",
    ]);
  });
});

describe("the generated inventory of the example lab", () => {
  const inventory = buildInventory(model);
  const { children, vars } = inventory.all;

  it("has the servers, the agents and one group per pool", () => {
    expect(Object.keys(children).sort()).toEqual(["agents", "pool_control", "pool_experiments", "pool_monitoring", "pool_nomos", "servers"]);
    expect(Object.keys(children.servers.hosts)).toEqual(["node-01"]);
    expect(Object.keys(children.agents.hosts)).toEqual(["node-02", "node-03", "node-04", "node-05", "node-06", "metal-01"]);
    expect(Object.keys(children.pool_experiments.hosts)).toEqual(["node-02", "node-03", "node-04", "node-05"]);
    expect(Object.keys(children.pool_monitoring.hosts)).toEqual(["metal-01"]);
    expect(poolGroupName("gpu-a100")).toBe("pool_gpu_a100");
  });

  it("carries each machine's address, name and the CPU governor of its pool kind", () => {
    expect(children.servers.hosts["node-01"]).toEqual({
      ansible_host: "192.0.2.11",
      k3s_node_name: "node-01",
      k3s_node_ip: "192.0.2.11",
      lab_cpu_governor: "",
      k3s_first_server: true,
    });
    // experiments is shared by two teams, nomos dedicated to one: both are experiment pools.
    expect(children.agents.hosts["node-02"].lab_cpu_governor).toBe("performance");
    expect(children.agents.hosts["node-06"].lab_cpu_governor).toBe("performance");
    expect(children.agents.hosts["metal-01"].lab_cpu_governor).toBe("");
    expect(children.agents.hosts["metal-01"]).not.toHaveProperty("k3s_first_server");
  });

  it("puts what every host needs in all.vars, from the model", () => {
    expect(vars).toEqual({
      lab_cluster_name: "vaclab",
      k3s_version: "v1.32.4+k3s1",
      k3s_install_script_url: "https://get.k3s.io",
      k3s_server_url: "https://192.0.2.11:6443",
      k3s_cluster_cidr: "10.42.0.0/16",
      k3s_service_cidr: "10.43.0.0/16",
      k3s_cluster_dns: "10.43.0.10",
      k3s_tls_sans: ["192.0.2.11"],
      k3s_max_pods: 1000,
      // lab:cluster.etcdQuotaGiB's default, 8 GiB, not etcd's own 2 GiB.
      k3s_etcd_quota_bytes: 8 * 1024 ** 3,
      lab_join_cidr: "100.64.0.0/16",
      lab_node_networks: ["192.0.2.11/32", "192.0.2.12/30", "192.0.2.16/32", "192.0.2.21/32"],
      lab_firewall_enabled: true,
      // Node networks, podCidr, joinCidr and the monitoring subnet; never the team subnets (10.100/16, 10.101/16).
      lab_firewall_cluster_sources: ["10.42.0.0/16", "10.99.0.0/24", "100.64.0.0/16", "192.0.2.11/32", "192.0.2.12/30", "192.0.2.16/32", "192.0.2.21/32"],
      lab_firewall_api_sources: ["0.0.0.0/0"],
      // The calibration's iperf3 server: node addresses only, no pod subnet (issue 20 item 8).
      lab_firewall_calibration_sources: ["192.0.2.11/32", "192.0.2.12/30", "192.0.2.16/32", "192.0.2.21/32"],
      lab_firewall_calibration_ports: ["5201"],
      lab_time_servers: ["ntp.ubuntu.com", "0.ubuntu.pool.ntp.org", "1.ubuntu.pool.ntp.org", "2.ubuntu.pool.ntp.org"],
      lab_textfile_dir: "/var/lib/node_exporter/textfile",
    });
  });

  it("follows lab:hosts and lab:cluster settings", () => {
    const other = buildInventory(
      loadLabModel(
        withChanges(example, (c) => {
          c["lab:cluster"].apiEndpoint = "k8s.lab.vac.dev";
          c["lab:cluster"].tlsSans = ["k8s.lab.vac.dev", "198.51.100.7"];
          c["lab:cluster"].nodeNetworks = ["192.0.2.0/24"];
          c["lab:hosts"] = { timeServers: ["192.0.2.1"], experimentCpuGovernor: "schedutil", firewall: { enabled: false, apiAllowedFrom: ["198.51.100.0/24"] } };
        }),
        "lab",
      ),
    );
    expect(other.all.vars).toMatchObject({
      k3s_tls_sans: ["k8s.lab.vac.dev", "198.51.100.7"],
      lab_node_networks: ["192.0.2.0/24"],
      lab_firewall_enabled: false,
      lab_firewall_api_sources: ["198.51.100.0/24"],
      lab_time_servers: ["192.0.2.1"],
    });
    // The agents still join through the first server itself, not through the public endpoint.
    expect(other.all.vars.k3s_server_url).toBe("https://192.0.2.11:6443");
    expect(other.all.children.agents.hosts["node-03"].lab_cpu_governor).toBe("schedutil");
  });

  it("dumps to YAML that Ansible's inventory format reads back unchanged", () => {
    const text = dumpInventory(inventory);
    expect(loadInventory(text)).toEqual(JSON.parse(JSON.stringify(inventory)));
    expect(dumpInventory(buildInventory(loadLabModel(example, "lab")))).toBe(text);
  });
});

describe("values Ansible must never template", () => {
  it("tags every string value !unsafe, whatever field it came from, and keeps its text exact", () => {
    const planted = "{{ lookup('pipe','id') }}";
    const hostile = { ...model, cluster: { ...model.cluster, name: planted, tlsSans: [planted] } } as typeof model;
    const text = dumpInventory(buildInventory(hostile));
    expect(text).toContain(`lab_cluster_name: !unsafe '${planted.replace(/'/g, "''")}'`);
    expect(text).toContain(`- !unsafe '${planted.replace(/'/g, "''")}'`);
    // Every scalar string value carries the tag; numbers and booleans are never templated.
    for (const line of dumpInventory(buildInventory(model)).split("\n")) {
      const value = /^\s*(?:- |[a-z0-9_-]+: )(.+)$/.exec(line)?.[1];
      if (value !== undefined && !/^(true|false|\d+|\{\})$/.test(value)) expect(value, line).toMatch(/^!unsafe /);
    }
    expect((loadInventory(text) as any).all.vars.lab_cluster_name).toBe(planted);
  });
});

describe("a host's slice of the inventory", () => {
  const inventory = buildInventory(model);

  it("holds all.vars and the host alone, in its role group", () => {
    expect(hostInventory(inventory, "node-03")).toEqual({
      all: { vars: inventory.all.vars, children: { agents: { hosts: { "node-03": inventory.all.children.agents.hosts["node-03"] } } } },
    });
    expect(Object.keys(hostInventory(inventory, "node-01").all.children)).toEqual(["servers"]);
    expect(() => hostInventory(inventory, "nope")).toThrow(/host "nope" is in neither/);
  });

  it("changes for that host only when one node's vars change", () => {
    // metal-01 moves from the monitoring pool (platform) into the experiments pool: its CPU governor changes.
    const moved = buildInventory(loadLabModel(withChanges(example, (c) => (c["lab:nodes"][6].pool = "experiments")), "lab"));
    const changed = model.nodes
      .map((n) => n.name)
      .filter((name) => dumpInventory(hostInventory(inventory, name)) !== dumpInventory(hostInventory(moved, name)));
    expect(changed).toEqual(["metal-01"]);
  });

  it("does not change when a node moves to another pool of the same kind", () => {
    // Pool labels and taints are applied through the API; only the pool kind matters to Ansible.
    const moved = buildInventory(
      loadLabModel(
        withChanges(example, (c) => {
          c["lab:nodes"][6].pool = "control"; // metal-01: monitoring -> control, both platform pools
        }),
        "lab",
      ),
    );
    expect(dumpInventory(hostInventory(moved, "metal-01"))).toBe(dumpInventory(hostInventory(inventory, "metal-01")));
  });
});

describe("the reset inventory", () => {
  it("names the leaving node and the server it is drained from", () => {
    const agent = model.nodes.find((n) => n.name === "node-04")!;
    expect(resetInventory(model, agent)).toEqual({
      all: {
        vars: { lab_drain_timeout_seconds: 300 },
        children: {
          agents: { hosts: { "node-04": { ansible_host: "192.0.2.14", k3s_node_name: "node-04" } } },
          control: { hosts: { "node-01": { ansible_host: "192.0.2.11" } } },
        },
      },
    });
    const server = model.servers[0];
    expect(Object.keys(resetInventory(model, server).all.children)).toEqual(["servers", "control"]);
  });
});

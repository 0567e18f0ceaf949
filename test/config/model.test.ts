import { describe, expect, it } from "vitest";
import { loadLabModel } from "../../config/load";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

describe("LabModel of the example lab", () => {
  const model = loadLabModel(example, "lab");

  it("derives pools and their kinds from nodes and teams", () => {
    expect(model.pools.map((p) => [p.name, p.kind, p.nodes.length])).toEqual([
      ["control", "platform", 1],
      ["experiments", "shared", 4],
      ["monitoring", "platform", 1],
      ["nomos", "dedicated", 1],
    ]);
    expect(model.pools.find((p) => p.name === "experiments")!.teams).toEqual(["dst", "nomos"]);
  });

  it("computes capacity and allocatable (capacity minus the per-node reservation)", () => {
    const experiments = model.pools.find((p) => p.name === "experiments")!;
    expect(experiments.capacity).toEqual({ cpu: 256, memoryGiB: 1024, pods: 4000 });
    expect(experiments.allocatable).toEqual({ cpu: 248, memoryGiB: 992, pods: 3920 });
  });

  it("fills a team's pod quota from its cpu share when the config leaves it out", () => {
    const dst = model.teams.find((t) => t.name === "dst")!;
    expect(dst.podsDerived).toBe(true);
    expect(dst.quota.pods).toBe(Math.floor((160 / 248) * 3920));
    const nomos = model.teams.find((t) => t.name === "nomos")!;
    expect(nomos.podsDerived).toBe(false);
    expect(nomos.quota.pods).toBe(1500);
    expect(nomos.poolAllocatable.cpu).toBe(248 + 62);
  });

  it("labels and taints nodes by pool, and gives teams a selector and tolerations", () => {
    const node02 = model.nodes.find((n) => n.name === "node-02")!;
    expect(node02.labels).toEqual({
      "lab.vac.dev/pool": "experiments",
      "lab.vac.dev/team-dst": "true",
      "lab.vac.dev/team-nomos": "true",
    });
    expect(node02.taints).toEqual([{ key: "lab.vac.dev/pool", value: "experiments", effect: "NoSchedule" }]);
    expect(model.nodes.find((n) => n.name === "node-01")!.taints).toEqual([]);
    const nomos = model.teams.find((t) => t.name === "nomos")!;
    expect(nomos.nodeSelector).toEqual({ "lab.vac.dev/team-nomos": "true" });
    expect(nomos.tolerations.map((t) => t.value)).toEqual(["nomos", "experiments"]);
  });

  it("derives cluster addresses and applies defaults", () => {
    expect(model.cluster.clusterDns).toBe("10.43.0.10");
    expect(model.cluster.apiEndpoint).toBe("192.0.2.11");
    expect(model.cluster.nodeNetworks).toContain("192.0.2.21/32");
    expect(model.servers.map((n) => n.name)).toEqual(["node-01"]);
    expect(model.agents).toHaveLength(6);
    expect(model.monitoring.scrapeSeconds).toEqual({ infra: 30, inventory: 60, experiment: 10 });
    expect(model.ssh).toMatchObject({ user: "lab-admin", port: 22, inlineKey: false });
  });

  it("follows the config: another label domain and explicit node networks", () => {
    const other = loadLabModel(
      withChanges(example, (c) => {
        c["lab:cluster"].labelDomain = "dst.example.org";
        c["lab:cluster"].nodeNetworks = ["192.0.2.0/24"];
        delete c["lab:monitoring"].scrapeIntervals;
      }),
      "other",
    );
    expect(other.nodes[1].labels["dst.example.org/pool"]).toBe("experiments");
    expect(other.cluster.nodeNetworks).toEqual(["192.0.2.0/24"]);
    expect(other.monitoring.scrapeIntervals).toEqual({ infra: "30s", inventory: "60s", experiment: "10s" });
  });
});

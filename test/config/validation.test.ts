/**
 * Every config mistake the lab must refuse: each test breaks the example lab in one way and checks
 * the exact path and message, and that validation reports all problems at once.
 */
import { describe, expect, it } from "vitest";
import { loadLabModel, validateConfig } from "../../config/load";
import { ConfigError, formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

function problemsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
}

describe("config validation", () => {
  it("accepts the example lab", () => {
    expect(validateConfig(example, "lab").problems).toEqual([]);
  });

  it("rejects unknown keys at every level, naming them", () => {
    expect(problemsOf((c) => {
      c["lab:colour"] = "blue";
      c["lab:cluster"].podCIDR = "10.1.0.0/16";
      c["lab:nodes"][3].gpus = 2;
    })).toEqual([
      "lab:colour: unknown config key (known: cluster, ssh, nodes, teams, monitoring, network, gitops, health, versions, hosts, benchmarks, leases)",
      "lab:cluster.podCIDR: unknown config key",
      "lab:nodes[3].gpus: unknown config key",
    ]);
  });

  it("reports a missing required section", () => {
    expect(problemsOf((c) => delete c["lab:nodes"])).toContain("lab:nodes: required config key is missing");
  });

  it("requires DNS-1123 names", () => {
    const problems = problemsOf((c) => {
      c["lab:nodes"][1].name = "Node_02";
      c["lab:teams"][0].name = "DST team";
      c["lab:nodes"][2].pool = "-bad";
    });
    expect(problems).toContainEqual(expect.stringMatching(/^lab:nodes\[1\]\.name: must be a DNS-1123 subdomain/));
    expect(problems).toContainEqual(expect.stringMatching(/^lab:teams\[0\]\.name: must be a DNS-1123 label/));
    expect(problems).toContainEqual(expect.stringMatching(/^lab:nodes\[2\]\.pool: must be a DNS-1123 label/));
  });

  it("requires unique node names and addresses", () => {
    expect(problemsOf((c) => {
      c["lab:nodes"][4].name = "node-02";
      c["lab:nodes"][5].address = "192.0.2.11";
    })).toEqual([
      'lab:nodes[4].name: duplicate node name "node-02" (also lab:nodes[1])',
      "lab:nodes[5].address: duplicate address 192.0.2.11 (also lab:nodes[0])",
    ]);
  });

  it("requires at least one server", () => {
    expect(problemsOf((c) => (c["lab:nodes"][0].role = "agent"))).toContain("lab:nodes: at least one node must have role server");
  });

  it("requires valid CIDRs", () => {
    expect(problemsOf((c) => (c["lab:cluster"].podCidr = "10.42.0.1/16"))).toEqual([
      "lab:cluster.podCidr: \"10.42.0.1/16\" has host bits set; the block starts at 10.42.0.0/16",
    ]);
    expect(problemsOf((c) => (c["lab:teams"][1].subnet = "10.300.0.0/16"))).toEqual([
      'lab:teams[1].subnet: "10.300.0.0/16" is not an IPv4 CIDR block (a.b.c.d/n)',
    ]);
  });

  it("rejects overlapping cluster CIDRs and team subnets", () => {
    expect(problemsOf((c) => (c["lab:cluster"].joinCidr = "10.42.128.0/17"))).toEqual([
      "lab:cluster.joinCidr: 10.42.128.0/17 overlaps podCidr 10.42.0.0/16",
    ]);
    expect(problemsOf((c) => (c["lab:teams"][0].subnet = "10.43.16.0/20"))).toEqual([
      "lab:teams[0].subnet: 10.43.16.0/20 overlaps serviceCidr 10.43.0.0/16",
    ]);
    expect(problemsOf((c) => (c["lab:teams"][1].subnet = "10.100.128.0/24"))).toEqual([
      'lab:teams[1].subnet: 10.100.128.0/24 overlaps subnet of team "dst" 10.100.0.0/16',
    ]);
  });

  it("rejects node addresses inside cluster networks", () => {
    expect(problemsOf((c) => (c["lab:nodes"][6].address = "100.64.0.5"))).toEqual([
      "lab:nodes[6].address: 100.64.0.5 lies inside joinCidr 100.64.0.0/16",
    ]);
  });

  it("requires every team pool to exist", () => {
    expect(problemsOf((c) => (c["lab:teams"][1].pools = ["nomos", "expriments"]))).toEqual([
      'lab:teams[1].pools[1]: pool "expriments" has no nodes (pools: "control", "experiments", "monitoring", "nomos")',
    ]);
  });

  it("keeps servers out of team pools", () => {
    expect(problemsOf((c) => (c["lab:nodes"][0].pool = "experiments"))).toContain(
      'lab:nodes[0].pool: server "node-01" is in pool "experiments", which team "dst" uses; servers must stay in a platform pool',
    );
  });

  it("rejects a team quota larger than its pools' allocatable capacity", () => {
    expect(problemsOf((c) => (c["lab:teams"][0].quota.cpu = 300))).toEqual([
      'lab:teams[0].quota.cpu: 300 cores exceed pool "experiments" allocatable capacity of 248 cores',
    ]);
    expect(problemsOf((c) => (c["lab:teams"][1].quota.memoryGiB = 1500))).toEqual([
      'lab:teams[1].quota.memoryGiB: 1500 GiB exceed pools "nomos", "experiments" allocatable capacity of 1240 GiB',
    ]);
  });

  it("rejects teams that share a pool and are promised more than it has together", () => {
    // dst 200 + nomos 120 = 320 > 310 cores for experiments (248) + nomos (62); each fits alone.
    expect(problemsOf((c) => (c["lab:teams"][0].quota.cpu = 200))).toEqual([
      'lab:teams[0].quota.cpu: overcommit: teams "dst", "nomos" are promised 320 cores together, but their pools "experiments", "nomos" have 310 cores allocatable',
      'lab:teams[1].quota.cpu: overcommit: teams "dst", "nomos" are promised 320 cores together, but their pools "experiments", "nomos" have 310 cores allocatable',
    ]);
  });

  it("rejects scrape intervals that are not durations or exceed 2m", () => {
    expect(problemsOf((c) => {
      c["lab:monitoring"].scrapeIntervals.inventory = "5m";
      c["lab:monitoring"].scrapeIntervals.experiment = "ten seconds";
    })).toEqual([
      'lab:monitoring.scrapeIntervals.experiment: must be a duration such as "30s", "5m", "1h30m", "6w" (units w, d, h, m, s, ms, largest first)',
    ]);
    expect(problemsOf((c) => (c["lab:monitoring"].scrapeIntervals.inventory = "5m"))).toEqual([
      "lab:monitoring.scrapeIntervals.inventory: 5m exceeds the 2m maximum (longer intervals leave gaps in the 5m lookback)",
    ]);
  });

  it("reports problems of several sections together", () => {
    const problems = problemsOf((c) => {
      c["lab:cluster"].k3sVersion = "latest";
      c["lab:ssh"] = { user: "x" };
      c["lab:teams"][0].quota.cpu = 300;
      c["lab:nodes"][4].name = "node-02";
    });
    expect(problems).toEqual([
      "lab:cluster.k3sVersion: must be an exact k3s release such as v1.32.4+k3s1",
      "lab:ssh: set exactly one of privateKeyPath or privateKey",
      'lab:nodes[4].name: duplicate node name "node-02" (also lab:nodes[1])',
    ]);
  });

  it("throws a ConfigError listing every problem from loadLabModel", () => {
    const broken = withChanges(example, (c) => {
      c["lab:nodes"][0].role = "agent";
      c["lab:teams"][0].pools = ["nowhere"];
    });
    expect(() => loadLabModel(broken, "lab")).toThrow(ConfigError);
    try {
      loadLabModel(broken, "lab");
    } catch (error) {
      expect((error as ConfigError).message.split("\n").slice(1)).toEqual([
        "lab:nodes: at least one node must have role server",
        'lab:teams[0].pools[0]: pool "nowhere" has no nodes (pools: "control", "experiments", "monitoring", "nomos")',
      ]);
    }
  });
});

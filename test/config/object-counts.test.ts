/**
 * The object-count budget (config/object-counts.ts) from the model, and lab:cluster.etcdQuotaGiB's
 * bounds. Expected numbers are worked by hand from the formula in docs/team-pools.md.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { objectBudget } from "../../config/object-counts";
import { loadStackConfig, withChanges } from "../harness/fixtures";

describe("object budget", () => {
  it("shares half of etcd's quota by cpu share, 1 MiB per ConfigMap or Secret", () => {
    // dst: 160 of 280 cores; 8 GiB / 2 = 4096 MiB; 4096 × 160/280 = 2340.6 MiB; half to each kind.
    expect(objectBudget({ cpu: 160, pods: 2529, allTeamsCpu: 280, etcdQuotaGiB: 8, serviceCidr: "10.43.0.0/16" })).toEqual({
      payloadObjects: 1170,
      services: 2529,
      otherObjects: 2529,
    });
    // A /20 service CIDR (4096 addresses): 4096 × 160/280 / 2 = 1170 Services, below the pod quota.
    expect(objectBudget({ cpu: 160, pods: 2529, allTeamsCpu: 280, etcdQuotaGiB: 2, serviceCidr: "10.43.0.0/20" })).toEqual({
      payloadObjects: 292,
      services: 1170,
      otherObjects: 2529,
    });
  });

  it("accepts etcd quotas from etcd's default to its suggested maximum only, naming the path", () => {
    const problems = (etcdQuotaGiB: unknown) =>
      validateConfig(withChanges(loadStackConfig(), (c) => (c["lab:cluster"].etcdQuotaGiB = etcdQuotaGiB)), "lab").problems.map(formatProblem);
    expect(problems(1)).toEqual(["lab:cluster.etcdQuotaGiB: must be at least 2 (etcd's default)"]);
    expect(problems(9)).toEqual(["lab:cluster.etcdQuotaGiB: must be at most 8 (etcd's suggested maximum)"]);
    expect(problems(4.5)).toEqual(["lab:cluster.etcdQuotaGiB: must be a whole number"]);
    expect(problems(2)).toEqual([]);
  });
});

describe("teams whose share rounds to nothing", () => {
  const problemsOf = (change: (c: any) => void) => validateConfig(withChanges(loadStackConfig(), change), "lab").problems.map(formatProblem);
  const tiny = (quota: Record<string, number>) => (c: any) => {
    c["lab:teams"][0].quota = { cpu: 156, memoryGiB: 600 }; // room in the experiments pool (and during the lease) for the small team
    c["lab:teams"].push({ name: "tiny", pools: ["experiments"], subnet: "10.102.0.0/16", quota });
  };

  it("refuses a team whose etcd share gives fewer than 16 ConfigMaps and Secrets, at its cpu quota (it got count 0 and planned)", () => {
    const problems = problemsOf(tiny({ cpu: 0.1, memoryGiB: 1, pods: 10 }));
    expect(problems).toHaveLength(1);
    // 4096 MiB x 0.1/276.1 / 2 = 0.74: 0 of each kind.
    expect(problems[0]).toMatch(/^lab:teams\[2\]\.quota\.cpu: the team's share of etcd .* gives it 0 ConfigMaps and 0 Secrets of 1 MiB, fewer than the 16 a namespace needs/);
  });

  it("refuses a cpu quota whose derived pod quota is 0, at its cpu quota (every count was 0 and it planned)", () => {
    expect(problemsOf(tiny({ cpu: 0.05, memoryGiB: 1 }))).toEqual([
      "lab:teams[2].quota.cpu: quota.cpu 0.05 is so small a share of the team's pools that it gets 0 pods (quota.pods is derived from the cpu share): raise quota.cpu or set quota.pods",
    ]);
  });

  it("admits a small team whose share still gives every kind its minimum", () => {
    // 2 cpus: 4096 MiB x 2/278 / 2 = 14.7, too few; 3 cpus: 4096 x 3/279 / 2 = 22.0 -> 22 of each.
    expect(problemsOf(tiny({ cpu: 2, memoryGiB: 4, pods: 10 }))).toEqual([expect.stringMatching(/^lab:teams\[2\]\.quota\.cpu: .* gives it 14 ConfigMaps/)]);
    expect(problemsOf(tiny({ cpu: 3, memoryGiB: 4, pods: 10 }))).toEqual([]);
  });
});

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

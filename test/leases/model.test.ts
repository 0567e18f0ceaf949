/** The model at an instant: a leased node joins its borrower's dedicated lease pool, the borrower's quota grows. */
import { describe, expect, it } from "vitest";
import { loadLabModel } from "../../config/load";
import { parseInstant } from "../../config/leases/instant";
import { withChanges } from "../harness/fixtures";
import { lease, smallLab } from "./fixtures";

const raw = withChanges(smallLab, (c) => (c["lab:leases"] = [lease()]));
const at = (s: string) => loadLabModel(raw, "lab", { at: parseInstant(s)! });

describe("buildModel at an instant", () => {
  it("puts the leased node in the borrower's dedicated lease pool, tainted and labelled for it alone", () => {
    const m = at("2027-01-11T00:00:00Z");
    const a3 = m.nodes.find((n) => n.name === "a3")!;
    expect(a3).toMatchObject({ pool: "lease-beta", homePool: "a", poolKind: "dedicated" });
    expect(a3.labels).toEqual({ "lab.vac.dev/pool": "lease-beta", "lab.vac.dev/lease-team": "beta", "lab.vac.dev/team-beta": "true" });
    expect(a3.taints).toEqual([{ key: "lab.vac.dev/pool", value: "lease-beta", effect: "NoSchedule" }]);
    expect(a3.leaseAnnotations).toEqual({
      "lab.vac.dev/lease-from": "2027-01-11T00:00:00Z",
      "lab.vac.dev/lease-until": "2027-01-25T00:00:00Z",
      "lab.vac.dev/lease-reason": "benchmark",
    });
    expect(m.pools.find((p) => p.name === "lease-beta")).toMatchObject({ kind: "dedicated", nodes: ["a3"], teams: ["beta"] });
    expect(m.pools.find((p) => p.name === "a")!.nodes).toEqual(["a1", "a2"]);
  });

  it("grows the borrower's quota by the leased allocatable and leaves the lender's alone", () => {
    const m = at("2027-01-18T00:00:00Z");
    const beta = m.teams.find((t) => t.name === "beta")!;
    expect(beta.quota).toEqual({ cpu: 16, memoryGiB: 64, pods: 1080 });
    expect(beta.pools).toEqual(["b", "lease-beta"]);
    expect(beta.tolerations.map((t) => t.value)).toEqual(["b", "lease-beta"]);
    expect(m.teams.find((t) => t.name === "alpha")!.quota).toEqual({ cpu: 16, memoryGiB: 64, pods: 100 });
  });

  it("is the home lab before and after, announcing the coming lease before it starts", () => {
    const home = loadLabModel(raw, "lab");
    for (const instant of ["2027-01-10T23:59:59Z", "2027-01-25T00:00:00Z"]) {
      const m = at(instant);
      expect(m.pools, instant).toEqual(home.pools);
      expect(m.teams, instant).toEqual(home.teams);
      expect(m.nodes.find((n) => n.name === "a3")!.labels, instant).toEqual({ "lab.vac.dev/pool": "a", "lab.vac.dev/team-alpha": "true" });
    }
    expect(at("2027-01-10T23:59:59Z").nodes.find((n) => n.name === "a3")!.leaseAnnotations).toEqual({
      "lab.vac.dev/next-lease-team": "beta",
      "lab.vac.dev/next-lease-from": "2027-01-11T00:00:00Z",
      "lab.vac.dev/next-lease-until": "2027-01-25T00:00:00Z",
    });
    expect(at("2027-01-25T00:00:00Z").nodes.find((n) => n.name === "a3")!.leaseAnnotations).toEqual({});
  });
});

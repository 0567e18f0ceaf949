/**
 * Every lease cross-check, each with the smallest config that fails it and the exact path, and all
 * problems reported together.
 */
import { describe, expect, it } from "vitest";
import { lease, leaseProblems } from "./fixtures";

describe("lab:leases checks", () => {
  it("accepts a lease that fits", () => {
    expect(leaseProblems([lease()])).toEqual([]);
  });

  it("refuses instants that are not RFC 3339 UTC, with the field's path", () => {
    const problems = leaseProblems([
      lease({ from: "2027-01-11T00:00:00+01:00" }),
      lease({ from: "2027-01-11", until: "2027-02-30T00:00:00Z" }),
      lease({ until: "next monday" }),
    ]);
    const msg = 'must be an RFC 3339 UTC instant such as "2027-01-15T00:00:00Z" (seconds and a trailing Z; no offsets)';
    expect(problems).toEqual([`lab:leases[0].from: ${msg}`, `lab:leases[1].from: ${msg}`, `lab:leases[1].until: ${msg}`, `lab:leases[2].until: ${msg}`]);
  });

  it("refuses an unknown team", () => {
    expect(leaseProblems([lease({ team: "gamma" })])).toEqual(['lab:leases[0].team: unknown team "gamma" (teams: "alpha", "beta")']);
  });

  it("refuses an unknown node", () => {
    expect(leaseProblems([lease({ nodes: ["a3", "zz"] })])).toEqual(['lab:leases[0].nodes[1]: unknown node "zz"']);
  });

  it("refuses a node listed twice", () => {
    expect(leaseProblems([lease({ nodes: ["a3", "a3"] })])).toEqual(['lab:leases[0].nodes[1]: node "a3" is listed twice']);
  });

  it("refuses servers", () => {
    expect(leaseProblems([lease({ nodes: ["s1"] })])).toEqual([
      'lab:leases[0].nodes[0]: "s1" is a server; servers run the control plane and are never leased',
    ]);
  });

  it("refuses platform-pool machines", () => {
    const problems = leaseProblems([lease({ nodes: ["p1"] })], (c) =>
      c["lab:nodes"].push({ name: "p1", address: "192.0.2.9", role: "agent", pool: "spare", cpu: 10, memoryGiB: 40 }),
    );
    expect(problems).toEqual(['lab:leases[0].nodes[0]: "p1" is in platform pool "spare" (no team uses it); platform machines are never leased']);
  });

  it("refuses `until` not after `from`", () => {
    expect(leaseProblems([lease({ until: "2027-01-11T00:00:00Z" })])).toEqual([
      "lab:leases[0].until: 2027-01-11T00:00:00Z is not after from (2027-01-11T00:00:00Z)",
    ]);
    expect(leaseProblems([lease({ until: "2027-01-10T00:00:00Z" })])).toEqual([
      "lab:leases[0].until: 2027-01-10T00:00:00Z is not after from (2027-01-11T00:00:00Z)",
    ]);
  });

  it("refuses two leases of one node that overlap, and accepts back-to-back ones", () => {
    expect(leaseProblems([lease(), lease({ team: "alpha", nodes: ["b1", "a3"], from: "2027-01-24T00:00:00Z", until: "2027-02-01T00:00:00Z" })])).toEqual([
      'lab:leases[1].nodes[1]: node "a3" is also leased by lab:leases[0] (2027-01-11T00:00:00Z to 2027-01-25T00:00:00Z); one node, one lease at a time',
    ]);
    expect(leaseProblems([lease(), lease({ from: "2027-01-25T00:00:00Z", until: "2027-02-01T00:00:00Z" })])).toEqual([]);
  });

  it("refuses a lease pool name that a configured pool already has", () => {
    const problems = leaseProblems([lease()], (c) => {
      c["lab:nodes"][4].pool = "lease-beta";
      c["lab:teams"][1].pools = ["lease-beta"];
    });
    expect(problems).toEqual(['lab:leases[0].team: the lease pool "lease-beta" is also a pool in lab:nodes; rename that pool']);
  });

  it("refuses a reason that is not one line", () => {
    expect(leaseProblems([lease({ reason: "ok\nrm -rf /" })])).toEqual(["lab:leases[0].reason: must be one line of text (no control, bidi or zero-width characters)"]);
  });

  it("checks capacity during the lease: the lender's pool must still hold its quota", () => {
    // alpha is promised 16 cores on pool a (3 x 8); lending two of its three machines leaves 8.
    expect(leaseProblems([lease({ nodes: ["a2", "a3"] })])).toEqual([
      'lab:leases[0].nodes: at 2027-01-11T00:00:00Z (active: lab:leases[0]): teams "alpha" are promised 16 cores, but their pools "a" have 8 cores allocatable',
      'lab:leases[0].nodes: at 2027-01-11T00:00:00Z (active: lab:leases[0]): teams "alpha" are promised 64 GiB, but their pools "a" have 32 GiB allocatable',
    ]);
  });

  it("checks capacity when the borrower's lease quota exceeds what it can get", () => {
    expect(leaseProblems([lease({ quota: { cpu: 20, memoryGiB: 8 } })])).toEqual([
      'lab:leases[0].nodes: at 2027-01-11T00:00:00Z (active: lab:leases[0]): teams "beta" are promised 28 cores, but their pools "b", "lease-beta" have 16 cores allocatable',
    ]);
  });

  it("checks every distinct assignment: two leases that fit alone but not together", () => {
    const first = lease({ nodes: ["a3"], from: "2027-01-01T00:00:00Z", until: "2027-01-20T00:00:00Z" });
    const second = lease({ nodes: ["a2"], from: "2027-01-10T00:00:00Z", until: "2027-01-30T00:00:00Z" });
    const problems = leaseProblems([first, second]);
    expect(problems).toContain(
      'lab:leases[0].nodes: at 2027-01-10T00:00:00Z (active: lab:leases[0], lab:leases[1]): teams "alpha" are promised 16 cores, but their pools "a" have 8 cores allocatable',
    );
    expect(problems).toContain(
      'lab:leases[1].nodes: at 2027-01-10T00:00:00Z (active: lab:leases[0], lab:leases[1]): teams "alpha" are promised 16 cores, but their pools "a" have 8 cores allocatable',
    );
    expect(problems.every((p) => p.includes("2027-01-10T00:00:00Z"))).toBe(true);
  });

  it("reports every problem at once", () => {
    expect(leaseProblems([lease({ team: "gamma", nodes: ["s1"] }), lease({ until: "2027-01-01T00:00:00Z" })])).toEqual([
      'lab:leases[0].team: unknown team "gamma" (teams: "alpha", "beta")',
      'lab:leases[0].nodes[0]: "s1" is a server; servers run the control plane and are never leased',
      "lab:leases[1].until: 2027-01-01T00:00:00Z is not after from (2027-01-11T00:00:00Z)",
    ]);
  });
});

describe("lab:leases overlap check (property)", () => {
  it("reports two leases of one node exactly when their intervals intersect", async () => {
    const fc = (await import("fast-check")).default;
    const day = (d: number) => new Date(Date.UTC(2027, 0, 1) + d * 86_400_000).toISOString().replace(".000Z", "Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 10 }), (s1, l1, s2, l2) => {
        const problems = leaseProblems([
          lease({ nodes: ["a3"], from: day(s1), until: day(s1 + l1) }),
          lease({ nodes: ["a3"], from: day(s2), until: day(s2 + l2) }),
        ]);
        const intersect = s1 < s2 + l2 && s2 < s1 + l1;
        expect(problems.some((p) => p.startsWith('lab:leases[1].nodes[0]: node "a3" is also leased by lab:leases[0]'))).toBe(intersect);
        if (!intersect) expect(problems).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

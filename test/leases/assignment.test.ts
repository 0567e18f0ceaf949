/** assignmentAt: the one function that says who has which node when, at and around every boundary. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignmentAt, boundaries, distinctAssignments } from "../../config/leases/assignment";
import { parseInstant } from "../../config/leases/instant";

const T = (s: string) => parseInstant(s)!;
const nodes = [{ name: "a1", pool: "a" }, { name: "a2", pool: "a" }, { name: "b1", pool: "b" }];
const one = { nodes, leases: [{ team: "beta", nodes: ["a2"], from: "2027-01-11T00:00:00Z", until: "2027-01-25T00:00:00Z", reason: "r" }] };

describe("assignmentAt", () => {
  it("keeps a node home before its lease, announcing the next one", () => {
    const a = assignmentAt(one, T("2027-01-10T23:59:59Z"));
    expect(a.nodes.get("a2")).toMatchObject({ pool: "a", homePool: "a", lease: undefined, next: { index: 0, team: "beta" } });
    expect(a.active).toEqual([]);
  });

  it("moves the node to the borrower's lease pool at `from` (inclusive) and inside", () => {
    for (const at of ["2027-01-11T00:00:00Z", "2027-01-18T12:00:00Z", "2027-01-24T23:59:59.999Z"]) {
      const a = assignmentAt(one, T(at));
      expect(a.nodes.get("a2"), at).toMatchObject({ pool: "lease-beta", homePool: "a", lease: { index: 0, team: "beta", from: T("2027-01-11T00:00:00Z") } });
      expect(a.nodes.get("a1")!.pool, at).toBe("a");
      expect(a.active).toEqual([0]);
    }
  });

  it("returns the node home at `until` (exclusive) and after", () => {
    for (const at of ["2027-01-25T00:00:00Z", "2030-01-01T00:00:00Z"]) {
      const a = assignmentAt(one, T(at));
      expect(a.nodes.get("a2"), at).toMatchObject({ pool: "a", lease: undefined, next: undefined });
      expect(a.active).toEqual([]);
    }
  });

  it("hands a node from one lease to the next at the shared boundary", () => {
    const input = {
      nodes,
      leases: [one.leases[0], { team: "alpha", nodes: ["a2", "b1"], from: "2027-01-25T00:00:00Z", until: "2027-02-01T00:00:00Z", reason: "r2" }],
    };
    expect(assignmentAt(input, T("2027-01-24T23:00:00Z")).nodes.get("a2")).toMatchObject({ pool: "lease-beta", next: { index: 1 } });
    const at = assignmentAt(input, T("2027-01-25T00:00:00Z"));
    expect(at.nodes.get("a2")).toMatchObject({ pool: "lease-alpha", lease: { index: 1 } });
    expect(at.nodes.get("b1")).toMatchObject({ pool: "lease-alpha", homePool: "b" });
    expect(boundaries(input)).toEqual([T("2027-01-11T00:00:00Z"), T("2027-01-25T00:00:00Z"), T("2027-02-01T00:00:00Z")]);
    // home, [0], [1], home again (not repeated)
    expect(distinctAssignments(input).map((a) => a.active)).toEqual([[], [0], [1]]);
  });

  it("is constant between boundaries and a pure function of the instant (property)", () => {
    const day = 86_400_000;
    const base = T("2027-01-01T00:00:00Z");
    const leaseArb = fc.record({
      team: fc.constantFrom("alpha", "beta"),
      nodes: fc.subarray(["a1", "a2", "b1"], { minLength: 1 }),
      start: fc.integer({ min: 0, max: 60 }),
      days: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(leaseArb, { maxLength: 5 }), fc.integer({ min: -10 * day, max: 90 * day }), (ls, offset) => {
        const input = {
          nodes,
          leases: ls.map((l) => ({
            team: l.team, nodes: l.nodes, reason: "r",
            from: new Date(base + l.start * day).toISOString(), until: new Date(base + (l.start + l.days) * day).toISOString(),
          })),
        };
        const at = base + offset;
        const a = assignmentAt(input, at);
        expect(assignmentAt(input, at)).toEqual(a);
        const before = boundaries(input).filter((b) => b <= at);
        const anchor = before.length > 0 ? before[before.length - 1] : -Infinity;
        expect(assignmentAt(input, anchor).active).toEqual(a.active);
        for (const n of nodes) {
          const holder = input.leases.findIndex((l) => l.nodes.includes(n.name) && T(l.from.replace(".000Z", "Z")) <= at && at < T(l.until.replace(".000Z", "Z")));
          expect(a.nodes.get(n.name)!.pool).toBe(holder === -1 ? n.pool : `lease-${input.leases[holder].team}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * One config planned at three instants around the example lab's lease (node-04 lent to nomos from
 * 2027-01-11 to 2027-01-25): a boundary changes only what must change, and a plan is a function of
 * the config and the instant alone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffPlans, type PlanDiff } from "../../tools/plan/diff";
import { runPlanCli } from "../harness/plan-cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-lease-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function plan(at: string, extra: string[] = []): { dir: string; stdout: string } {
  const dir = path.join(tmp, at.replace(/:/g, ""));
  const result = runPlanCli(["--at", at, "--out", dir, ...extra]);
  expect(result.status, result.stderr).toBe(0);
  return { dir, stdout: result.stdout };
}
const resources = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8"));
const changedNames = (d: PlanDiff) => d.changed.map((c) => `${c.entry.type.split(":").pop()} ${c.entry.name}`).sort();

/** What a boundary of this lease must change: node-04's patch and its handover drain (re-run), nomos's namespace
 *  (selectors, tolerations) and quota, the foreign-load gate (which namespaces are foreign on which pool), and
 *  calibration (peers are the pool's members). */
const BOUNDARY_CHANGES = [
  "Command handover-node-04",
  "CronJob health-calibration-calibrate-node-02",
  "CronJob health-calibration-calibrate-node-03",
  "CronJob health-calibration-calibrate-node-04",
  "CronJob health-calibration-calibrate-node-05",
  "DaemonSet health-calibration-iperf3-server",
  "Namespace nomos",
  "NodePatch nodes-node-04",
  "ResourceQuota nomos-quota",
  // The gates list the pools each applies to (foreign_load, cpu_governor: pools with teams). The alerts do not
  // change: the one pool-listing alert, LabBaselineDrift, mirrors the calibration gate, whose pools include every
  // lease pool of the config at any instant (issue 21: rules planned before a lease keep gating the leased node).
  "VMRule health-lab-health-gates",
  // The lender's pod policy bounds QoS reservations by its share of its (now smaller) pool.
  "ValidatingAdmissionPolicy dst-lab-team-dst-pods",
  // The borrower's pod policy admits the lease pool's taint only while the lease runs.
  "ValidatingAdmissionPolicy nomos-lab-team-nomos-pods",
];

describe("plans at lease boundaries", () => {
  let before: ReturnType<typeof plan>, during: ReturnType<typeof plan>, after: ReturnType<typeof plan>;
  beforeAll(() => {
    before = plan("2027-01-10T23:00:00Z");
    during = plan("2027-01-11T00:00:00Z", ["--diff", before.dir]);
    after = plan("2027-01-25T00:00:00Z", ["--diff", during.dir]);
  }, 120_000);

  it("changes only node patches, quotas, selectors and the pool-derived rules at the lease's start", () => {
    const d = diffPlans(resources(before.dir), resources(during.dir));
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(changedNames(d)).toEqual(BOUNDARY_CHANGES);
    const patch = d.changed.find((c) => c.entry.name === "nodes-node-04")!.changes;
    expect(patch).toContainEqual({ path: 'inputs.metadata.labels["lab.vac.dev/pool"]', before: "experiments", after: "lease-nomos" });
    expect(patch).toContainEqual({ path: 'inputs.metadata.labels["lab.vac.dev/team-dst"]', before: "true", after: undefined });
    expect(patch).toContainEqual({ path: 'inputs.metadata.labels["lab.vac.dev/lease-team"]', before: undefined, after: "nomos" });
    expect(patch).toContainEqual({ path: "inputs.spec.taints[0].value", before: "experiments", after: "lease-nomos" });
    const drain = d.changed.find((c) => c.entry.name === "handover-node-04")!.changes;
    expect(drain.map((c) => c.path)).toContain("inputs.triggers[0]");
    const quota = d.changed.find((c) => c.entry.name === "nomos-quota")!.changes;
    expect(quota).toContainEqual({ path: 'inputs.spec.hard["requests.cpu"]', before: "120", after: "150" });
    // dst keeps its promise: its quota and namespace do not move.
    expect(changedNames(d).some((n) => n.endsWith(" dst") || n.endsWith(" dst-quota"))).toBe(false);
    expect(fs.readFileSync(path.join(during.dir, "diff.md"), "utf8")).toContain("**0 to add, 12 to change, 0 to remove**");
  });

  it("changes the same things back at its end", () => {
    const d = diffPlans(resources(during.dir), resources(after.dir));
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(changedNames(d)).toEqual(BOUNDARY_CHANGES);
    // Back home: everything but node-04's "next lease" annotations (gone: the lease is over) equals the plan before.
    const round = diffPlans(resources(before.dir), resources(after.dir));
    expect(changedNames(round)).toEqual(["NodePatch nodes-node-04"]);
    expect(changedNames(round)).not.toContain("Command handover-node-04");
    expect(round.changed[0].changes.map((c) => c.path).sort()).toEqual([
      'inputs.metadata.annotations["lab.vac.dev/next-lease-from"]',
      'inputs.metadata.annotations["lab.vac.dev/next-lease-team"]',
      'inputs.metadata.annotations["lab.vac.dev/next-lease-until"]',
    ]);
  });

  it("is a function of the instant: two instants inside one assignment plan byte-identical resources", () => {
    const inside = plan("2027-01-20T13:37:00Z");
    expect(fs.readFileSync(path.join(inside.dir, "resources.json"), "utf8")).toBe(fs.readFileSync(path.join(during.dir, "resources.json"), "utf8"));
  });

  it("writes the calendar with the lease and its reason", () => {
    const md = fs.readFileSync(path.join(before.dir, "calendar.md"), "utf8");
    expect(md).toContain("| lab:leases[0] | upcoming | nomos | node-04 | 2027-01-11 | 2027-01-25 | Nomos consensus benchmark on a quiet dedicated machine |");
    expect(md).toContain("2027-01-11 to 2027-01-25: **leased to nomos** (pool lease-nomos: Nomos consensus benchmark on a quiet dedicated machine)");
    expect(fs.readFileSync(path.join(during.dir, "calendar.md"), "utf8")).toContain("| lab:leases[0] | active | nomos |");
    expect(during.stdout).toContain("Evaluated at 2027-01-11T00:00:00Z; who has which node when:");
  });

  it("refuses an --at that is not an RFC 3339 UTC instant", () => {
    const result = runPlanCli(["--at", "2027-01-11T00:00:00+01:00", "--out", path.join(tmp, "bad")]);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("--at 2027-01-11T00:00:00+01:00: must be an RFC 3339 UTC instant");
  });
});

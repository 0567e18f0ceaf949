/** NodePools under mocks: every node's labels, taints and capacity annotations follow the config. */
import { describe, expect, it } from "vitest";
import { NodePools } from "../../components/teams/node-pools";
import { loadLabModel } from "../../config/load";
import { settle, type ResourceRecord } from "../../tools/plan/recorder";
import { testClusterAccess } from "../harness/cluster-access";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { currentRecorder, plainInputs, runLab, useRecorder } from "../harness/pulumi";

useRecorder();

// Node moves between home pools; the example's lease (whose capacity these moves would break) is tested in test/leases.
const example = withChanges(loadStackConfig(), (c) => delete c["lab:leases"]);
const PATCH = "kubernetes:core/v1:NodePatch";
let builds = 0;

async function nodePatches(raw: Record<string, unknown>): Promise<Map<string, any>> {
  currentRecorder().reset();
  const model = loadLabModel(raw, "lab");
  new NodePools("nodes", { nodes: model.nodes, labelDomain: model.cluster.labelDomain, access: testClusterAccess(`np-${++builds}`) });
  await settle();
  const patches = currentRecorder().records.filter((r: ResourceRecord) => r.type === PATCH);
  return new Map(patches.map((r) => [plainInputs(r).metadata.name as string, plainInputs(r)]));
}

describe("NodePools", () => {
  it("patches every node with its pool label, team access labels, pool taint and allocatable capacity", async () => {
    const patches = await nodePatches(example);
    expect([...patches.keys()].sort()).toEqual(["metal-01", "node-01", "node-02", "node-03", "node-04", "node-05", "node-06"]);
    const shared = patches.get("node-02");
    expect(shared.kind).toBe("Node");
    expect(shared.metadata.labels).toEqual({ "lab.vac.dev/pool": "experiments", "lab.vac.dev/team-dst": "true", "lab.vac.dev/team-nomos": "true" });
    expect(shared.spec.taints).toEqual([{ key: "lab.vac.dev/pool", value: "experiments", effect: "NoSchedule" }]);
    expect(shared.metadata.annotations).toEqual({
      "pulumi.com/patchForce": "true",
      "lab.vac.dev/pool-kind": "shared",
      "lab.vac.dev/allocatable-cpu": "62",
      "lab.vac.dev/allocatable-memory": "248Gi",
      "lab.vac.dev/allocatable-pods": "980",
    });
    const dedicated = patches.get("node-06");
    expect(dedicated.metadata.labels).toEqual({ "lab.vac.dev/pool": "nomos", "lab.vac.dev/team-nomos": "true" });
    expect(dedicated.spec.taints).toEqual([{ key: "lab.vac.dev/pool", value: "nomos", effect: "NoSchedule" }]);
    expect(dedicated.metadata.annotations["lab.vac.dev/pool-kind"]).toBe("dedicated");
    // Platform pools keep system workloads: labelled, never tainted, and the patch owns no taint list.
    for (const name of ["node-01", "metal-01"]) {
      expect(patches.get(name).spec, name).toBeUndefined();
      expect(Object.keys(patches.get(name).metadata.labels), name).toEqual(["lab.vac.dev/pool"]);
    }
    expect(patches.get("metal-01").metadata.annotations["lab.vac.dev/allocatable-cpu"]).toBe("30");
    expect(patches.get("metal-01").metadata.annotations["lab.vac.dev/allocatable-memory"]).toBe("120Gi");
  });

  it("moves a node to another team's pool by changing only that node's labels and taint", async () => {
    const before = await nodePatches(example);
    const after = await nodePatches(withChanges(example, (c) => (c["lab:nodes"][4].pool = "nomos")));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get("node-05").metadata.labels).toEqual({ "lab.vac.dev/pool": "nomos", "lab.vac.dev/team-nomos": "true" });
    expect(after.get("node-05").spec.taints).toEqual([{ key: "lab.vac.dev/pool", value: "nomos", effect: "NoSchedule" }]);
    expect(after.get("node-05").metadata.annotations["lab.vac.dev/pool-kind"]).toBe("dedicated");
    for (const name of before.keys()) if (name !== "node-05") expect(after.get(name), name).toEqual(before.get(name));
  });

  it("takes a node back into a platform pool: team labels and taint are dropped", async () => {
    const after = await nodePatches(
      withChanges(example, (c) => {
        c["lab:nodes"][5].pool = "monitoring";
        c["lab:teams"][1].pools = ["experiments"];
        c["lab:teams"][1].quota = { cpu: 80, memoryGiB: 320, pods: 1000 };
      }),
    );
    // nomos keeps the shared pool only; node-06 joins metal-01 in the untainted platform pool.
    expect(after.get("node-06").metadata.labels).toEqual({ "lab.vac.dev/pool": "monitoring" });
    expect(after.get("node-06").spec).toBeUndefined();
    expect(after.get("node-06").metadata.annotations["lab.vac.dev/pool-kind"]).toBe("platform");
  });

  it("is the same resource before and after a move, so `pulumi up` updates it in place", async () => {
    const urns = async (raw: Record<string, unknown>) => (await runLab(raw)).ofType(PATCH, "lab:teams:NodePools").map((r) => r.urn).sort();
    const before = await urns(example);
    const after = await urns(withChanges(example, (c) => (c["lab:nodes"][4].pool = "nomos")));
    expect(after).toEqual(before);
    expect(before).toHaveLength(7);
  });
});

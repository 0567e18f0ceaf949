/**
 * Issue 20, way 10: Kube-OVN's QoS annotations, which the pod policy lets a team set, reserve
 * bandwidth: the vaclab scheduler places pods by `ovn.kubernetes.io/ingress_rate` / `egress_rate`
 * and Kube-OVN shapes the pod's interface to them (v1.15.4 pkg/util/const.go). A team pod could
 * reserve a node's whole NIC ("40000" Mbit/s on the example's 40 Gbit/s nodes), change the value
 * after the scheduler placed it, or send a negative or non-numeric value. The policy must bound
 * each by the team's share, and freeze them once the pod has a node.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadLabModel } from "../../config/load";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, POD, dstPod as teamPod, namespacedWrite } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

const dstPod = (annotations: Record<string, string>, nodeName?: string) => teamPod("iperf-client", annotations, nodeName);

const create = (annotations: Record<string, string>) =>
  cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, cluster.namespace("dst"), dstPod(annotations)));

describe("way 10: bandwidth reservations", () => {
  it("derives dst's share from the model: its cpu share of the experiments pool times the slowest NIC there", () => {
    const dst = loadLabModel(loadStackConfig(), "lab").teams.find((t) => t.name === "dst")!;
    // 160 cores of 4 × (64 − 2 reserved) = 248 → 0.645 of 40 Gbit/s.
    expect(dst.maxPodMbps).toBe(Math.floor((160 / 248) * 40000));
  });

  it("denies reserving a node's whole NIC, more than the team's share, negative or malformed values", () => {
    const attacks: Record<string, string>[] = [
      { "ovn.kubernetes.io/ingress_rate": "40000" },
      { "ovn.kubernetes.io/egress_rate": "40000" },
      { "ovn.kubernetes.io/egress_rate": "25807" },
      { "ovn.kubernetes.io/ingress_rate": "-1" },
      { "ovn.kubernetes.io/egress_rate": "-40000" },
      { "ovn.kubernetes.io/ingress_rate": "40G" },
      { "ovn.kubernetes.io/ingress_rate": "1e9" },
      { "ovn.kubernetes.io/ingress_rate": " 10" },
      { "ovn.kubernetes.io/ingress_rate": "" },
      { "ovn.kubernetes.io/ingress_rate": "99999999999999999999" },
      { "ovn.kubernetes.io/latency": "-5" },
      { "ovn.kubernetes.io/jitter": "600001" },
      { "ovn.kubernetes.io/loss": "101" },
      { "ovn.kubernetes.io/loss": "-1" },
      { "ovn.kubernetes.io/limit": "-1" },
    ];
    for (const annotations of attacks) {
      const verdict = create(annotations);
      expect(verdict.allowed, JSON.stringify(annotations)).toBe(false);
      expect(verdict.denials.join("\n"), JSON.stringify(annotations)).toMatch(/may reserve at most 25806 Mbit\/s per direction/);
    }
  });

  it("denies changing any QoS value of a scheduled pod, also by a team member or its deployer", () => {
    const ns = cluster.namespace("dst");
    const running = dstPod({ "ovn.kubernetes.io/egress_rate": "100" }, "node-02");
    const edits: Record<string, string>[] = [
      { "ovn.kubernetes.io/egress_rate": "200" },
      { "ovn.kubernetes.io/egress_rate": "10" },
      {},
      { "ovn.kubernetes.io/egress_rate": "100", "ovn.kubernetes.io/ingress_rate": "100" },
      { "ovn.kubernetes.io/egress_rate": "100", "ovn.kubernetes.io/latency": "50" },
    ];
    for (const annotations of edits) {
      for (const sender of [IDENTITY.teamMember("dst"), IDENTITY.teamDeployer("dst")]) {
        const verdict = cluster.admit(namespacedWrite(sender, POD, ns, dstPod(annotations, "node-02"), running));
        expect(verdict.allowed, JSON.stringify(annotations)).toBe(false);
      }
      // Through /status too: it writes the same annotations.
      expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, dstPod(annotations, "node-02"), running, "status")).allowed).toBe(false);
    }
  });

  it("admits reservations within the share and netem values in range, and leaves them alone on unrelated updates", () => {
    const ns = cluster.namespace("dst");
    // The share exactly, zero, and netem values in range.
    const values = { ingress_rate: "25806", egress_rate: "0", latency: "50", jitter: "5", loss: "0.5", limit: "1000" };
    const fine = Object.fromEntries(Object.entries(values).map(([k, v]) => [`ovn.kubernetes.io/${k}`, v]));
    expect(create(fine)).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    expect(create({ "ovn.kubernetes.io/loss": "100" }).allowed).toBe(true);
    // Before the pod has a node, its owner may still correct the values (within range).
    const pending = dstPod({ "ovn.kubernetes.io/egress_rate": "100" });
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, dstPod({ "ovn.kubernetes.io/egress_rate": "300" }), pending)).allowed).toBe(true);
    // A pending pod admitted before the bound keeps getting status updates (the scheduler's conditions).
    const before = dstPod({ "ovn.kubernetes.io/egress_rate": "40000" });
    const scheduler = { username: "system:kube-scheduler", groups: ["system:authenticated"] };
    expect(cluster.admit(namespacedWrite(scheduler, POD, ns, { ...before, status: { phase: "Pending" } }, before, "status")).allowed).toBe(true);
    // A scheduled pod's other annotations and labels may change.
    const running = dstPod(fine, "node-02");
    const relabelled = { ...running, metadata: { ...running.metadata, labels: { app: "iperf-client", run: "2" } } };
    expect(cluster.admit(namespacedWrite(IDENTITY.teamMember("dst"), POD, ns, relabelled, running)).allowed).toBe(true);
  });
});

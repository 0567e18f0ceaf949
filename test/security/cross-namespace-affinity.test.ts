/**
 * Issue 20, way 2: one 1m-CPU team pod with a required pod anti-affinity whose term selects other
 * namespaces' Job pods (topologyKey `kubernetes.io/os`) keeps every new Job pod of another team, of
 * monitoring (backups) and of calibration off every node: the scheduler refuses an incoming pod
 * that an existing pod's anti-affinity term selects, whatever the incoming pod's namespace
 * (kubernetes v1.32 pkg/scheduler/framework/plugins/interpodaffinity/filtering.go
 * satisfyExistingPodsAntiAffinity). The generated pod policy must refuse every term that reaches
 * past the team's namespace, and keep admitting a team's own (anti-)affinity.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, POD, namespacedWrite, pod } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

const JOB_PODS = { matchExpressions: [{ key: "batch.kubernetes.io/job-name", operator: "Exists" }] };

/** A 1m-CPU dst pod with the given affinity, placed on its pool as PodNodeSelector/PodTolerationRestriction default it. */
function blocker(affinity: Record<string, unknown>): Record<string, any> {
  return pod("blocker", {
    nodeSelector: { "lab.vac.dev/team-dst": "true" },
    tolerations: [{ key: "lab.vac.dev/pool", operator: "Equal", value: "experiments", effect: "NoSchedule" }],
    affinity,
  });
}

const term = (extra: Record<string, unknown>) => ({ labelSelector: JOB_PODS, topologyKey: "kubernetes.io/os", ...extra });

describe("way 2: cross-namespace pod anti-affinity", () => {
  it("denies (anti-)affinity terms that select pods of other namespaces, required or preferred", () => {
    const ns = cluster.namespace("dst");
    const attacks: Record<string, Record<string, unknown>> = {
      "anti, namespaceSelector {} (every namespace)": { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaceSelector: {} })] } },
      "anti, namespaceSelector on monitoring": {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } })] },
      },
      "anti, namespaces [nomos]": { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ["nomos"] })] } },
      "anti, namespaces [dst, lab-calibration]": { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ["dst", "lab-calibration"] })] } },
      "anti, preferred, namespaceSelector {}": {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ namespaceSelector: {} }) }] },
      },
      "affinity, namespaces [nomos]": { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ["nomos"] })] } },
      "a second term after an own one": {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({}), term({ namespaceSelector: { matchExpressions: [] } })] },
      },
    };
    for (const [name, affinity] of Object.entries(attacks)) {
      for (const sender of [IDENTITY.replicaSetController, IDENTITY.teamMember("dst"), IDENTITY.teamDeployer("dst")]) {
        const verdict = cluster.admit(namespacedWrite(sender, POD, ns, blocker(affinity)));
        expect(verdict.allowed, `${name} by ${sender.username}`).toBe(false);
        expect(verdict.denials, name).toEqual(["lab-team-dst-pods: pods of team dst may select only pods of namespace dst in pod (anti-)affinity terms (no namespaceSelector, no other namespaces)"]);
      }
    }
  });

  it("admits a team's own anti-affinity and affinity within its namespace, and node affinity", () => {
    const ns = cluster.namespace("dst");
    const own: Record<string, Record<string, unknown>> = {
      "spread own replicas": { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "libp2p" } }, topologyKey: "kubernetes.io/hostname" }] } },
      "own namespace named": { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ["dst"] })] } },
      "preferred co-location": { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({}) }] } },
      "node affinity only": { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }] } } },
    };
    for (const [name, affinity] of Object.entries(own)) {
      expect(cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, blocker(affinity))), name).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    }
  });

  it("admits status and label updates of a pod admitted before the rule (affinity cannot change after creation)", () => {
    const ns = cluster.namespace("dst");
    const admittedBefore = blocker({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ["nomos"] })] } });
    const old = { ...admittedBefore, spec: { ...admittedBefore.spec, nodeName: "node-02" } };
    const kubelet = { username: "system:node:node-02", groups: ["system:nodes", "system:authenticated"] };
    expect(cluster.admit(namespacedWrite(kubelet, POD, ns, { ...old, status: { phase: "Running" } }, old, "status")).allowed).toBe(true);
  });
});

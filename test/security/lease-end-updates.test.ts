/**
 * Issue 20, way 6: pods created during a lease carry the lease pool's toleration for life (an update
 * may only add tolerations). After the lease, the borrower's pod policy and the namespace's
 * tolerations whitelist no longer listed it, and PodTolerationRestriction checks every UPDATE
 * against the whitelist (kubernetes v1.32 plugin/pkg/admission/podtolerationrestriction
 * admission.go Validate): every later update of such a pod was denied, even the Job controller's
 * removal of its tracking finalizer, so the pod could never go away and the handover's wait timed
 * out. Updates that change no placement must stay admitted; placing new pods with the lease
 * toleration after the lease must not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseInstant } from "../../config/leases/instant";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import type { UserInfo } from "./harness/admission";
import { GeneratedCluster, IDENTITY, POD, namespacedWrite, pod } from "./harness/cluster";

useRecorder();

const DURING = parseInstant("2027-01-15T00:00:00Z")!;
const AFTER = parseInstant("2027-02-01T00:00:00Z")!;

let during: GeneratedCluster;
let after: GeneratedCluster;
beforeAll(async () => {
  during = new GeneratedCluster(await runLab(loadStackConfig(), { at: DURING }));
  after = new GeneratedCluster(await runLab(loadStackConfig(), { at: AFTER }));
});

const poolToleration = (value: string) => ({ key: "lab.vac.dev/pool", operator: "Equal", value, effect: "NoSchedule" });
const JOB_CONTROLLER: UserInfo = {
  username: "system:serviceaccount:kube-system:job-controller",
  groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
};
const KUBELET: UserInfo = { username: "system:node:node-04", groups: ["system:nodes", "system:authenticated"] };

/** A nomos Job pod as admitted during the lease (PodTolerationRestriction added the namespace's defaults), running on node-04. */
function leasePod(): Record<string, any> {
  const p = pod("bench-0", {
    nodeSelector: { "lab.vac.dev/team-nomos": "true" },
    tolerations: [poolToleration("nomos"), poolToleration("experiments"), poolToleration("lease-nomos")],
    nodeName: "node-04",
  });
  return { ...p, metadata: { ...p.metadata, labels: { "batch.kubernetes.io/job-name": "bench" }, finalizers: ["batch.kubernetes.io/job-tracking"] } };
}

/** kubernetes v1.32 pkg/util/tolerations VerifyAgainstWhitelist: every toleration is covered by a whitelist entry. */
function whitelistAdmits(whitelist: any[], tolerations: any[]): boolean {
  return tolerations.every((t) =>
    whitelist.some((w) => w.key === t.key && (!w.effect || w.effect === t.effect) && (w.operator === "Exists" || ((t.operator ?? "Equal") === "Equal" && w.value === t.value))),
  );
}
const whitelistOf = (cluster: GeneratedCluster) => JSON.parse(cluster.namespace("nomos").metadata.annotations["scheduler.alpha.kubernetes.io/tolerationsWhitelist"]);

describe("way 6: a lease end leaves the borrower's pods updatable", () => {
  it("admitted the pod during the lease", () => {
    const created = { ...leasePod(), spec: { ...leasePod().spec, nodeName: undefined } };
    delete created.spec.nodeName;
    expect(during.admit(namespacedWrite(IDENTITY.replicaSetController, POD, during.namespace("nomos"), created)).allowed).toBe(true);
    expect(whitelistAdmits(whitelistOf(during), leasePod().spec.tolerations)).toBe(true);
  });

  it("after the lease, admits updates that change no placement: finalizer removal, labels, status", () => {
    const ns = after.namespace("nomos");
    const old = leasePod();
    const finalized = { ...old, metadata: { ...old.metadata, finalizers: [] } };
    expect(after.admit(namespacedWrite(JOB_CONTROLLER, POD, ns, finalized, old))).toEqual({ allowed: true, matchedPolicies: ["lab-team-nomos-pods"], denials: [] });
    const relabelled = { ...old, metadata: { ...old.metadata, labels: { ...old.metadata.labels, done: "true" } } };
    expect(after.admit(namespacedWrite(IDENTITY.teamMember("nomos"), POD, ns, relabelled, old)).allowed).toBe(true);
    expect(after.admit(namespacedWrite(IDENTITY.stack, POD, ns, finalized, old)).allowed).toBe(true);
    const reported = { ...old, status: { phase: "Succeeded" } };
    expect(after.admit(namespacedWrite(KUBELET, POD, ns, reported, old, "status")).allowed).toBe(true);
    // PodTolerationRestriction, which reads the namespace's whitelist on every update, agrees.
    expect(whitelistAdmits(whitelistOf(after), old.spec.tolerations)).toBe(true);
  });

  it("after the lease, still denies new pods with the lease toleration and adding it to a running pod", () => {
    const ns = after.namespace("nomos");
    const fresh = pod("sneak", { nodeSelector: { "lab.vac.dev/team-nomos": "true" }, tolerations: [poolToleration("nomos"), poolToleration("lease-nomos")] });
    const verdict = after.admit(namespacedWrite(IDENTITY.replicaSetController, POD, ns, fresh));
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials.join("\n")).toMatch(/may tolerate only their pools' taints/);
    const plain = pod("web", { nodeSelector: { "lab.vac.dev/team-nomos": "true" }, tolerations: [poolToleration("nomos")], nodeName: "node-06" });
    const widened = { ...plain, spec: { ...plain.spec, tolerations: [poolToleration("nomos"), poolToleration("lease-nomos")] } };
    expect(after.admit(namespacedWrite(IDENTITY.teamMember("nomos"), POD, ns, widened, plain)).allowed).toBe(false);
    // Another team's lease pool stays foreign to nomos, before and after.
    const other = { ...plain, spec: { ...plain.spec, tolerations: [poolToleration("nomos"), poolToleration("lease-dst")] } };
    expect(after.admit(namespacedWrite(IDENTITY.teamMember("nomos"), POD, ns, other, plain)).allowed).toBe(false);
    expect(whitelistAdmits(whitelistOf(after), [poolToleration("lease-dst")])).toBe(false);
  });
});

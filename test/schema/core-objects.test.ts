/**
 * Every built-in Kubernetes object the lab creates (core, apps, batch, rbac, networking, policy,
 * admissionregistration, ...) conforms to Kubernetes' OpenAPI schema, unknown fields included: in the
 * example lab and in a generated large lab (250 nodes, 50 teams: every per-node and per-team shape
 * at scale). Two checks per object on one lab run: kubernetes-models 5.1.0 (Kubernetes v1.36: types,
 * formats, enums, required, unknown fields) and @kubernetes/client-node at the cluster's minor
 * (v1.32: every field and kind exists there; cluster-minor-fields.test.ts ties that minor to
 * `lab:cluster.k3sVersion`), and client-node's own round trip keeps every field. Custom resources
 * (HelmChart, VM*, Fleet, Kube-OVN) have their own tests.
 */
import { describe, expect, it } from "vitest";
import { generateLab } from "../../tools/generate-lab";
import { EXAMPLE_STACK, loadStackConfig } from "../harness/fixtures";
import { plainInputs, runLab, useRecorder, type LabRun } from "../harness/pulumi";
import { clientNodeRoundTrip, fieldPaths, unknownFieldsAtClusterMinor } from "./cluster-minor-fields";
import { builtInKind, checkObject, type KubernetesObject } from "./kubernetes-schema";

useRecorder({ preview: true });

/**
 * Problems of every built-in object of a lab run, as `type name path: message`: kubernetes-models
 * (v1.36) and client-node (the cluster's minor), and any field client-node's own deserialize/serialize
 * round trip would drop that the field walk did not report. Also how many objects were checked.
 */
async function schemaProblems(run: LabRun): Promise<{ checked: Map<string, number>; problems: string[] }> {
  const checked = new Map<string, number>();
  const problems: string[] = [];
  for (const record of run.records) {
    const kind = builtInKind(record.type);
    if (!kind) continue;
    const object = plainInputs(record) as Record<string, unknown>;
    // The provider sets apiVersion and kind from the type; check they say the same.
    const apiVersion = kind.group === "core" ? kind.version : `${kind.group}/${kind.version}`;
    expect({ type: record.type, apiVersion: object.apiVersion, kind: object.kind }).toEqual({ type: record.type, apiVersion, kind: kind.kind });
    const target: KubernetesObject = { apiVersion, kind: kind.kind, object, patch: kind.patch };
    const found = [...await checkObject(target), ...await unknownFieldsAtClusterMinor(target)];
    const kept = new Set(fieldPaths(await clientNodeRoundTrip(target)));
    const dropped = fieldPaths(object).filter((p) => !kept.has(p) && !found.some((f) => p === f.path || p.startsWith(`${f.path}/`)));
    found.push(...dropped.map((path) => ({ path, message: "dropped by client-node's round trip" })));
    problems.push(...found.map((p) => `${record.type} ${record.name} ${p.path || "/"}: ${p.message}`));
    checked.set(record.type, (checked.get(record.type) ?? 0) + 1);
  }
  return { checked, problems };
}

describe("built-in Kubernetes objects against Kubernetes' schema", () => {
  it("the example lab: every object conforms, no unknown field at v1.36 or at the cluster's minor", async () => {
    const run = await runLab(loadStackConfig(EXAMPLE_STACK));
    const { checked, problems } = await schemaProblems(run);
    expect(problems).toEqual([]);
    // The lab's built-in kinds are all covered (a new kind is checked as soon as it appears).
    expect([...checked.keys()]).toEqual(expect.arrayContaining([
      "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:NodePatch",
      "kubernetes:batch/v1:CronJob", "kubernetes:apps/v1:DaemonSet", "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    ]));
  });

  it("a generated large lab (250 nodes, 50 teams): every object conforms, no unknown field at v1.36 or at the cluster's minor", async () => {
    const run = await runLab(generateLab(250, 50).config);
    const { checked, problems } = await schemaProblems(run);
    expect(problems).toEqual([]);
    // Every node's NodePatch was among them.
    expect(checked.get("kubernetes:core/v1:NodePatch")).toBeGreaterThanOrEqual(250);
  }, 120_000);
});

describe("the schema check itself", () => {
  it("rejects an unknown field at any depth and a wrong type, naming the path", async () => {
    const configMap = await checkObject({
      apiVersion: "v1", kind: "ConfigMap",
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", lables: { a: "b" } }, data: { key: "v" }, extra: true },
    });
    expect(configMap).toEqual([
      { path: "/metadata/lables", message: "unknown field (not in the schema)" },
      { path: "/extra", message: "unknown field (not in the schema)" },
    ]);
    const cronJob = await checkObject({
      apiVersion: "batch/v1", kind: "CronJob",
      object: {
        apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "x" },
        spec: {
          schedule: "0 * * * *",
          jobTemplate: { spec: { backoffLimit: "3", template: { spec: { containers: [{ name: "c", image: "busybox:1.37", resource: { limits: { cpu: "1" } } }] } } } },
        },
      },
    });
    expect(cronJob.map((p) => p.path)).toEqual(["/spec/jobTemplate/spec/backoffLimit", "/spec/jobTemplate/spec/template/spec/containers/0/resource"]);
    expect(cronJob[0].message).toMatch(/must be integer/);
  });

  it("lets patches omit required fields but not add unknown ones", async () => {
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: 2 } };
    const full = await checkObject({ apiVersion: "apps/v1", kind: "Deployment", object: deployment });
    expect(full.map((p) => `${p.path} ${p.message}`)).toEqual([
      expect.stringMatching(/^\/spec must have required property selector/),
      expect.stringMatching(/^\/spec must have required property template/),
    ]);
    expect(await checkObject({ apiVersion: "apps/v1", kind: "Deployment", object: deployment, patch: true })).toEqual([]);
    expect(await checkObject({ apiVersion: "v1", kind: "Node", object: { metadata: { name: "n", taint: [] } }, patch: true }))
      .toEqual([{ path: "/metadata/taint", message: "unknown field (not in the schema)" }]);
  });

  it("knows which types are built-in and which kinds it has no schema for", async () => {
    expect(builtInKind("kubernetes:core/v1:NodePatch")).toEqual({ group: "core", version: "v1", kind: "Node", patch: true });
    expect(builtInKind("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy")?.kind).toBe("ValidatingAdmissionPolicy");
    expect(builtInKind("kubernetes:helm.cattle.io/v1:HelmChart")).toBeUndefined();
    expect(builtInKind("kubernetes:operator.victoriametrics.com/v1beta1:VMRule")).toBeUndefined();
    expect(await checkObject({ apiVersion: "apps/v1", kind: "Gadget", object: {} })).toEqual([{ path: "", message: "no schema for apps/v1 Gadget in kubernetes-models" }]);
  });
});

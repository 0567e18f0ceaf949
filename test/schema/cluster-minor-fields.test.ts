/**
 * The field-set check at the cluster's Kubernetes minor (@kubernetes/client-node, generated from
 * v1.32) next to kubernetes-models 5.1.0 (v1.36): the two minors are tied to
 * `lab:cluster.k3sVersion`, fields and kinds added after v1.32 pass kubernetes-models and fail here,
 * and valid objects with timestamps, int-or-string ports and quantities pass both. The lab-wide runs
 * are in core-objects.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { podSecurityVersion } from "../../components/teams/admission";
import { generateLab } from "../../tools/generate-lab";
import { EXAMPLE_STACK, REPO_ROOT, loadStackConfig } from "../harness/fixtures";
import {
  clientNodeKubernetesMinor, clientNodeRoundTrip, clientNodeVersion, fieldPaths, modelAtClusterMinor, unknownFieldsAtClusterMinor,
} from "./cluster-minor-fields";
import { checkObject, type KubernetesObject } from "./kubernetes-schema";

const UNKNOWN_AT_V132 = /^unknown field at Kubernetes v1\.32 \(not in \w+\)$/;

function target(object: Record<string, unknown>): KubernetesObject {
  return { apiVersion: object.apiVersion as string, kind: object.kind as string, object };
}

/** Field paths client-node's own deserialize/serialize round trip drops. */
async function droppedByRoundTrip(object: Record<string, unknown>): Promise<string[]> {
  const kept = new Set(fieldPaths(await clientNodeRoundTrip(target(object))));
  return fieldPaths(object).filter((p) => !kept.has(p));
}

const podTemplate = (spec: Record<string, unknown>) => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image: "nginx:1.27.3" }], ...spec },
});

const deployment = (podSpec: Record<string, unknown>) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "team-a" },
  spec: { selector: { matchLabels: { app: "web" } }, template: podTemplate(podSpec) },
});

describe("the cluster's Kubernetes minor and the schema library's", () => {
  it("lab:cluster.k3sVersion of the example and generated labs is the minor the pinned client-node is generated from", () => {
    const pinned = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
      .devDependencies["@kubernetes/client-node"];
    expect(pinned).toBe(clientNodeVersion());
    const example = (loadStackConfig(EXAMPLE_STACK)["lab:cluster"] as { k3sVersion: string }).k3sVersion;
    const generated = (generateLab(3, 1).config["lab:cluster"] as { k3sVersion: string }).k3sVersion;
    // Bumping k3s to another minor fails here until client-node is bumped to the release generated from it.
    expect({ example: podSecurityVersion(example), generated: podSecurityVersion(generated) })
      .toEqual({ example: clientNodeKubernetesMinor(), generated: clientNodeKubernetesMinor() });
  });

  it("the README's compatibility table (kept as data) agrees with the spec version in client-node's generated models", () => {
    const model = readFileSync(path.join(REPO_ROOT, "node_modules/@kubernetes/client-node/dist/gen/models/V1Deployment.js"), "utf8");
    const spec = /OpenAPI spec version: (v\d+\.\d+)\.\d+/.exec(model)?.[1];
    expect(spec).toBe(clientNodeKubernetesMinor());
    expect(clientNodeKubernetesMinor("1.1.3")).toBe("v1.32");
    expect(clientNodeKubernetesMinor("0.22.0")).toBe("v1.31");
    expect(() => clientNodeKubernetesMinor("1.2.0")).toThrow(/no Kubernetes minor known/);
  });
});

describe("fields and kinds added after v1.32: accepted by kubernetes-models 5.1.0 (v1.36), rejected at v1.32", () => {
  it("a container's lifecycle.stopSignal (v1.33) and a pod's hostnameOverride (v1.34)", async () => {
    const object = deployment({
      hostnameOverride: "web-0",
      containers: [{ name: "web", image: "nginx:1.27.3", lifecycle: { stopSignal: "SIGTERM", preStop: { sleep: { seconds: 5 } } } }],
    });
    expect(await checkObject(target(object))).toEqual([]);
    const problems = await unknownFieldsAtClusterMinor(target(object));
    expect(problems.map((p) => p.path)).toEqual(["/spec/template/spec/containers/0/lifecycle/stopSignal", "/spec/template/spec/hostnameOverride"]);
    for (const problem of problems) expect(problem.message).toMatch(UNKNOWN_AT_V132);
    // client-node's own round trip drops exactly those fields: the walk reads its models as it does.
    expect(await droppedByRoundTrip(object)).toEqual(problems.map((p) => p.path));
  });

  it("kinds that v1.32 does not serve: resource.k8s.io/v1 and storage.k8s.io/v1 VolumeAttributesClass (v1.34), batch/v1beta1 CronJob (removed in v1.25)", async () => {
    const objects = [
      { apiVersion: "resource.k8s.io/v1", kind: "ResourceClaim", metadata: { name: "gpu", namespace: "team-a" }, spec: {} },
      { apiVersion: "storage.k8s.io/v1", kind: "VolumeAttributesClass", metadata: { name: "fast" }, driverName: "csi.example.org" },
      {
        apiVersion: "batch/v1beta1", kind: "CronJob", metadata: { name: "x" },
        spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: podTemplate({ restartPolicy: "Never" }) } } },
      },
    ];
    for (const object of objects) {
      expect(await checkObject(target(object))).toEqual([]);
      expect(await unknownFieldsAtClusterMinor(target(object)))
        .toEqual([{ path: "", message: `no v1.32 model for ${object.apiVersion} ${object.kind} in @kubernetes/client-node 1.1.3` }]);
    }
  });
});

describe("the v1.32 field check itself", () => {
  it("rejects typos at any depth, naming the path", async () => {
    const cronJob = {
      apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "x", lables: { a: "b" } },
      spec: {
        schedule: "0 * * * *",
        jobTemplate: { spec: { template: podTemplate({ restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.37", resources: { limit: { cpu: "1" } } }] }) } },
      },
    };
    const policy = {
      apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p" },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabel: { team: "a" } } }] }] },
    };
    expect((await unknownFieldsAtClusterMinor(target(cronJob))).map((p) => p.path))
      .toEqual(["/metadata/lables", "/spec/jobTemplate/spec/template/spec/containers/0/resources/limit"]);
    expect(await unknownFieldsAtClusterMinor(target(policy)))
      .toEqual([{ path: "/spec/ingress/0/from/1/namespaceSelector/matchLabel", message: "unknown field at Kubernetes v1.32 (not in V1LabelSelector)" }]);
    expect(await droppedByRoundTrip(cronJob)).toEqual(["/metadata/lables", "/metadata/lables/a", "/spec/jobTemplate/spec/template/spec/containers/0/resources/limit", "/spec/jobTemplate/spec/template/spec/containers/0/resources/limit/cpu"]);
  });

  it("accepts timestamps, int-or-string ports and percentages, quantities and maps of any keys (no false positive)", async () => {
    const web = deployment({
      containers: [{
        name: "web", image: "nginx:1.27.3", ports: [{ name: "http", containerPort: 8080 }],
        readinessProbe: { httpGet: { path: "/healthz", port: "http" } }, livenessProbe: { tcpSocket: { port: 8080 } },
        resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { cpu: 1, memory: "1Gi", "ephemeral-storage": "2G" } },
      }],
    });
    (web.spec as Record<string, unknown>).strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } };
    (web.metadata as Record<string, unknown>).creationTimestamp = "2026-12-01T00:00:00Z";
    (web.metadata as Record<string, unknown>).annotations = { "example.org/any key/with slash": "v" };
    const service = {
      apiVersion: "v1", kind: "Service", metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "alt", port: 81, targetPort: 8081 }] },
    };
    const event = {
      apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e", namespace: "team-a", creationTimestamp: "2026-12-01T00:00:00Z" },
      eventTime: "2026-12-01T00:00:00.123456Z", reportingController: "example.org/c", reportingInstance: "c-1", action: "Scale", reason: "Scaled",
      regarding: { kind: "Deployment", name: "web" }, series: { count: 2, lastObservedTime: "2026-12-01T00:01:00.000001Z" },
    };
    for (const object of [web, service, event]) {
      expect(await checkObject(target(object))).toEqual([]);
      expect(await unknownFieldsAtClusterMinor(target(object))).toEqual([]);
      expect(await droppedByRoundTrip(object)).toEqual([]);
    }
    // Why the check walks the models rather than diffing values after a round trip: Date fields come back re-formatted.
    expect(((await clientNodeRoundTrip(target(event))) as typeof event).metadata.creationTimestamp).toBe("2026-12-01T00:00:00.000Z");
  });

  it("resolves kinds per API group like client-node's APIs (v1 Event and events.k8s.io/v1 Event differ) and refuses a kind its group does not serve", async () => {
    expect((await modelAtClusterMinor("v1", "Event"))?.name).toBe("CoreV1Event");
    expect((await modelAtClusterMinor("events.k8s.io/v1", "Event"))?.name).toBe("EventsV1Event");
    expect((await modelAtClusterMinor("rbac.authorization.k8s.io/v1", "ClusterRole"))?.name).toBe("V1ClusterRole");
    expect((await modelAtClusterMinor("authorization.k8s.io/v1", "SubjectAccessReview"))?.name).toBe("V1SubjectAccessReview");
    const involved = { kind: "Pod", name: "p" };
    expect(await unknownFieldsAtClusterMinor(target({ apiVersion: "v1", kind: "Event", metadata: { name: "e" }, involvedObject: involved, regarding: involved })))
      .toEqual([{ path: "/regarding", message: "unknown field at Kubernetes v1.32 (not in CoreV1Event)" }]);
    expect(await unknownFieldsAtClusterMinor(target({ apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e" }, involvedObject: involved, regarding: involved })))
      .toEqual([{ path: "/involvedObject", message: "unknown field at Kubernetes v1.32 (not in EventsV1Event)" }]);
    // V1ConfigMap exists, but apps/v1 does not serve ConfigMap; nor is there an extensions group at v1.32.
    for (const [apiVersion, kind] of [["apps/v1", "ConfigMap"], ["extensions/v1beta1", "Ingress"], ["apps/v1", "../Gadget"]]) {
      expect(await unknownFieldsAtClusterMinor({ apiVersion, kind, object: {} }))
        .toEqual([{ path: "", message: `no v1.32 model for ${apiVersion} ${kind} in @kubernetes/client-node 1.1.3` }]);
    }
  });
});

/**
 * The offline admission evaluator itself, on hand-made policies: the matching rules and failure
 * semantics the attack tests rely on behave as the API server's (Kubernetes 1.32
 * apiserver/pkg/admission/plugin/policy/matching, webhook/predicates/namespace and rules).
 */
import { describe, expect, it } from "vitest";
import { admit, matchResources, type AdmissionRequest, type Manifest } from "./harness/admission";

const user = { username: "u", groups: [] };
const ns = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } } });
const podReq = (sub?: string, op: AdmissionRequest["operation"] = "UPDATE"): AdmissionRequest => ({
  operation: op, resource: { group: "", version: "v1", resource: "pods" }, subResource: sub, name: "p", namespace: "a",
  object: { metadata: { name: "p", labels: { app: "x" } }, spec: {} }, oldObject: { metadata: { name: "p" }, spec: {} }, userInfo: user, namespaceObject: ns("a"),
});
const rule = (resources: string[], extra: Record<string, unknown> = {}) => ({ resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources, operations: ["*"], ...extra }] });
const policy = (expression: string, failurePolicy = "Fail", match = rule(["pods"])): Manifest => ({
  metadata: { name: "p" }, spec: { failurePolicy, matchConstraints: match, validations: [{ expression, message: "no" }] },
});
const binding = (actions = ["Deny"], matchResources?: Record<string, unknown>): Manifest => ({ metadata: { name: "b" }, spec: { policyName: "p", validationActions: actions, matchResources } });

describe("offline admission evaluator", () => {
  it("matches resources and subresources like the API server", () => {
    expect(matchResources(rule(["pods"]), podReq())).toBe(true);
    expect(matchResources(rule(["pods"]), podReq("status"))).toBe(false);
    expect(matchResources(rule(["*"]), podReq("status"))).toBe(false);
    expect(matchResources(rule(["pods/*"]), podReq("status"))).toBe(true);
    expect(matchResources(rule(["pods/ephemeralcontainers"]), podReq("ephemeralcontainers"))).toBe(true);
    expect(matchResources(rule(["*/*"]), podReq("status"))).toBe(true);
    expect(matchResources(rule(["pods"], { operations: ["CREATE"] }), podReq())).toBe(false);
    expect(matchResources(rule(["pods"], { resourceNames: ["other"] }), podReq())).toBe(false);
    expect(matchResources(rule(["pods"], { scope: "Cluster" }), podReq())).toBe(false);
  });

  it("takes a namespace's own labels on its writes, the stored ones on its deletion, and ignores the selector for cluster-scoped objects", () => {
    const selector = { ...rule(["namespaces", "nodes"]), namespaceSelector: { matchLabels: { team: "a" } } };
    const nsReq = (op: AdmissionRequest["operation"], object: any, stored: any): AdmissionRequest => ({
      operation: op, resource: { group: "", version: "v1", resource: "namespaces" }, name: "a", namespace: "", object, oldObject: stored, userInfo: user, namespaceObject: stored,
    });
    expect(matchResources(selector, nsReq("UPDATE", ns("a", { team: "a" }), ns("a")))).toBe(true);
    expect(matchResources(selector, nsReq("UPDATE", ns("a"), ns("a", { team: "a" })))).toBe(false);
    expect(matchResources(selector, nsReq("DELETE", null, ns("a", { team: "a" })))).toBe(true);
    const node: AdmissionRequest = { operation: "UPDATE", resource: { group: "", version: "v1", resource: "nodes" }, name: "n", namespace: "", object: { metadata: {} }, oldObject: { metadata: {} }, userInfo: user, namespaceObject: null };
    expect(matchResources(selector, node)).toBe(true);
  });

  it("denies on false or on an error only with a Deny binding, and lets errors through under failurePolicy Ignore", () => {
    expect(admit([policy("false")], [binding()], podReq()).allowed).toBe(false);
    expect(admit([policy("false")], [binding(["Warn", "Audit"])], podReq()).allowed).toBe(true);
    expect(admit([policy("false")], [binding(["Deny"], rule(["services"]))], podReq()).allowed).toBe(true);
    expect(admit([policy("object.spec.missing")], [binding()], podReq()).denials[0]).toMatch(/expression error/);
    expect(admit([policy("object.spec.missing", "Ignore")], [binding()], podReq()).allowed).toBe(true);
    expect(admit([policy("'x'")], [binding()], podReq()).allowed).toBe(false);
  });

  it("binds object, oldObject, request and namespaceObject as Kubernetes does", () => {
    const expr = "object.metadata.labels.app == 'x' && !has(oldObject.metadata.labels) && request.operation == 'UPDATE' && namespaceObject.metadata.name == 'a' && request.subResource == ''";
    expect(admit([policy(expr)], [binding()], podReq()).allowed).toBe(true);
    expect(admit([policy("oldObject == null")], [binding()], { ...podReq(undefined, "CREATE"), oldObject: null }).allowed).toBe(true);
  });
});

/**
 * The admission policies, bindings, roles and network policies the lab generates are valid
 * Kubernetes objects: each validates against the published OpenAPI schema (kubernetes-models,
 * pinned: types, enums, required fields), so a wrong value cannot hide behind the offline
 * evaluator, which reads only the fields it knows. (Unknown field names the schema lets through;
 * those are caught by `tsc`, the manifests being typed with @pulumi/kubernetes' input types.)
 */
import { ClusterRole, ClusterRoleBinding, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { LimitRange, ResourceQuota } from "kubernetes-models/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, TYPES } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

/** Pulumi inputs carry no apiVersion/kind for typed resources; the model class sets them. */
const MODELS: Array<[string, new (data: any) => { validate(): void }]> = [
  [TYPES.vap, ValidatingAdmissionPolicy],
  [TYPES.vapBinding, ValidatingAdmissionPolicyBinding],
  [TYPES.clusterRole, ClusterRole],
  [TYPES.roleBinding, RoleBinding],
  [TYPES.clusterRoleBinding, ClusterRoleBinding],
  [TYPES.networkPolicy, NetworkPolicy],
  [TYPES.resourceQuota, ResourceQuota],
  [TYPES.limitRange, LimitRange],
];

describe("generated tenant-boundary objects match the Kubernetes schema", () => {
  it("validates every policy, binding, role, network policy, quota and limit range", () => {
    let checked = 0;
    for (const [type, Model] of MODELS) {
      for (const inputs of cluster.inputs(type)) {
        const { apiVersion: _a, kind: _k, ...rest } = inputs;
        expect(() => new Model(rest).validate(), `${type} ${inputs.metadata?.name}`).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("rejects a wrong enum value, so the check above can fail", () => {
    const policy = cluster.inputs(TYPES.vap)[0];
    const broken = { ...policy, spec: { ...policy.spec, failurePolicy: "Deny" } };
    const { apiVersion: _a, kind: _k, ...rest } = broken;
    expect(() => new ValidatingAdmissionPolicy(rest).validate()).toThrow();
  });
});

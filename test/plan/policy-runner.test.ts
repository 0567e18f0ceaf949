import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../tools/plan/policy-runner";
import type { ResourceRecord } from "../../tools/plan/recorder";

function record(type: string, name: string, inputs: Record<string, unknown>): ResourceRecord {
  return {
    urn: `urn:pulumi:lab::lab::${type}::${name}`, type, name, parent: "", provider: "", dependsOn: [], custom: true, inputs,
    options: { protect: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], retainOnDelete: false, deletedWith: "" },
  };
}

const quotaHasPods: ResourceValidationPolicy = {
  name: "quota-has-pods",
  description: "test policy",
  validateResource: validateResourceOfType(k8s.core.v1.ResourceQuota, (quota, _args, report) => {
    if (!quota.spec?.hard?.pods) report("no pods limit");
  }),
};

const atMostOneQuota: StackValidationPolicy = {
  name: "one-quota",
  description: "test policy",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const quotas = args.resources.filter((r) => r.isType(k8s.core.v1.ResourceQuota));
    if (quotas.length > 1) report(`${quotas.length} quotas`);
  },
};

describe("evaluating CrossGuard policies over recorded resources", () => {
  const records = [
    record("kubernetes:core/v1:ResourceQuota", "good", { spec: { hard: { pods: "10" } } }),
    record("kubernetes:core/v1:ResourceQuota", "bad", { spec: { hard: { cpu: "1" } } }),
    record("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "x" } }),
  ];

  it("runs typed resource policies only on their type and reports the offender", async () => {
    const violations = await evaluatePolicies([quotaHasPods], records);
    expect(violations).toEqual([
      { policy: "quota-has-pods", enforcementLevel: "mandatory", urn: records[1].urn, type: records[1].type, name: "bad", message: "no pods limit" },
    ]);
  });

  it("runs stack policies over every resource with their own enforcement level", async () => {
    const violations = await evaluatePolicies([atMostOneQuota], records);
    expect(violations).toMatchObject([{ policy: "one-quota", enforcementLevel: "advisory", name: "(stack)", message: "2 quotas" }]);
  });

  it("shows policies secret values in clear, as the analyzer does", async () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { pods: "5" } };
    const violations = await evaluatePolicies([quotaHasPods], [record("kubernetes:core/v1:ResourceQuota", "s", { spec: { hard: secret } })]);
    expect(violations).toEqual([]);
  });
});

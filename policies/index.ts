/** The policy pack run by `pulumi preview --policy-pack policies`; the rules live in ./rules. */
import { PolicyPack } from "@pulumi/policy";
import { labPolicies } from "./rules";

new PolicyPack("dst-lab", {
  description: "Guards what the DST lab stack creates: team quotas, tenant admission policies and roles, pinned charts and images, resource limits, ingress auth, secrets.",
  enforcementLevel: "mandatory",
  policies: labPolicies,
});

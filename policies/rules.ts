/**
 * Every rule of the lab's policy pack, as plain objects. This module never constructs the
 * PolicyPack (that starts a gRPC server), so the plan and the tests import it freely.
 */
import type { Policies } from "@pulumi/policy";

export const labPolicies: Policies = [];

/**
 * Every rule of the lab's policy pack, as plain objects. This module never constructs the
 * PolicyPack (that starts a gRPC server), so the plan and the tests import it freely.
 */
import type { Policies } from "@pulumi/policy";
import { containersDeclareResources } from "./rules/containers-declare-resources";
import { helmChartExactVersion } from "./rules/helm-chart-exact-version";
import { imagesPinned } from "./rules/images-pinned";
import { ingressRequiresAuth } from "./rules/ingress-requires-auth";
import { noPoolOvercommit } from "./rules/no-pool-overcommit";
import { noSecretsInConfig } from "./rules/no-secrets-in-config";
import { scrapesDenyRedirects } from "./rules/scrapes-deny-redirects";
import { teamBundlesGuarded } from "./rules/team-bundles-guarded";
import { teamNamespaceGuarded } from "./rules/team-namespace-guarded";
import { teamNamespaceQuota } from "./rules/team-namespace-quota";
import { teamRolesExplicit } from "./rules/team-roles-explicit";

export const labPolicies: Policies = [
  teamNamespaceQuota,
  teamNamespaceGuarded,
  teamBundlesGuarded,
  teamRolesExplicit,
  noPoolOvercommit,
  containersDeclareResources,
  helmChartExactVersion,
  imagesPinned,
  ingressRequiresAuth,
  noSecretsInConfig,
  scrapesDenyRedirects,
];

/**
 * A team's fleet.yaml picks the identity its bundle deploys as. The GitRepo's `serviceAccount`
 * reaches only the bundle's top-level options (fleet v0.14.6 internal/bundlereader/read.go
 * L220-222); a `targetCustomizations` entry carries its own `serviceAccount` (bundle_types.go
 * L228-229, BundleTarget inlines BundleDeploymentOptions), is matched without the GitRepo's
 * restrictions (target/matcher/bundlematch.go L44-46) and overrides the bundle's
 * (options/calculate.go L37-38). The agent then impersonates `cattle-fleet-system/<that account>`
 * (helmdeployer/impersonate.go getServiceAccount): `fleet-agent` is cluster-wide, `team-<other>`
 * another team's deployer. The Bundle the team's GitRepo produces must be refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import type { UserInfo } from "./harness/admission";
import { GeneratedCluster, IDENTITY, namespacedWrite } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

const BUNDLE = { group: "fleet.cattle.io", version: "v1alpha1", resource: "bundles" };
/** gitjob's `fleet apply` runs as the GitRepo's job service account in the workspace namespace. */
const gitJob = (team: string): UserInfo => ({
  username: `system:serviceaccount:fleet-team-${team}:git-app`,
  groups: ["system:serviceaccounts", `system:serviceaccounts:fleet-team-${team}`, "system:authenticated"],
});

/** The Bundle `fleet apply --service-account team-dst --target-namespace dst` writes (read.go L220-260). */
function bundle(team: string, targets: Record<string, unknown>[] = [], top: Record<string, unknown> = {}): Record<string, any> {
  const forced = { namespace: team };
  return {
    apiVersion: "fleet.cattle.io/v1alpha1",
    kind: "Bundle",
    metadata: { name: "app-web", labels: { "lab.vac.dev/fleet-team": team } },
    spec: {
      serviceAccount: `team-${team}`,
      ...forced,
      resources: [{ name: "deployment.yaml", content: "kind: Deployment" }],
      // fleet.yaml targetCustomizations come first (read.go L177), then the GitRepo's targets; the
      // target namespace is forced on every target (read.go L255-260), the service account is not.
      targets: [...targets.map((t) => ({ ...t, ...forced })), { name: "target000", clusterName: "local", ...forced }],
      targetRestrictions: [{ name: "target000", clusterName: "local" }],
      ...top,
    },
  };
}

const write = (team: string, object: Record<string, any>) =>
  cluster.admit(namespacedWrite(gitJob(team), BUNDLE, cluster.namespace(`fleet-team-${team}`), object));

describe("a team's fleet.yaml may not choose the identity or namespace its bundle deploys as", () => {
  it("denies targetCustomizations that impersonate the Fleet agent or another team's deployer", () => {
    for (const account of ["fleet-agent", "team-nomos", "fleet-default", "gitjob"]) {
      const verdict = write("dst", bundle("dst", [{ name: "escalate", clusterName: "local", serviceAccount: account }]));
      expect(verdict.allowed, account).toBe(false);
      expect(verdict.denials, account).toEqual(["lab-team-dst-bundles: bundles of team dst deploy only as service account team-dst (fleet.yaml targetCustomizations may not set serviceAccount)"]);
    }
  });

  it("denies a bundle without the team's service account (the agent would fall back to its own) or aimed at another namespace", () => {
    const noAccount = bundle("dst");
    delete noAccount.spec.serviceAccount;
    expect(write("dst", noAccount).allowed).toBe(false);
    expect(write("dst", bundle("dst", [], { namespace: "nomos" })).allowed).toBe(false);
    const retargeted = bundle("dst");
    retargeted.spec.targets[0].namespace = "kube-system";
    expect(write("dst", retargeted).allowed).toBe(false);
  });

  it("admits the team's ordinary bundle, with harmless target customizations, and each team's own", () => {
    expect(write("dst", bundle("dst"))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-bundles"], denials: [] });
    const values = bundle("dst", [{ name: "local-values", clusterName: "local", helm: { values: { replicas: 2 } } }, { name: "same", clusterName: "local", serviceAccount: "team-dst" }]);
    expect(write("dst", values).allowed).toBe(true);
    expect(write("nomos", bundle("nomos")).allowed).toBe(true);
    // The other team's policy does not reach this team's workspace.
    expect(write("nomos", bundle("nomos")).matchedPolicies).toEqual(["lab-team-nomos-bundles"]);
  });
});

describe("no k3s HelmChart in a team namespace, whoever sends it", () => {
  const HELM_CHART = { group: "helm.cattle.io", version: "v1", resource: "helmcharts" };
  const chart = { apiVersion: "helm.cattle.io/v1", kind: "HelmChart", metadata: { name: "x" }, spec: { chart: "x", repo: "https://example.org/charts", version: "1.0.0" } };

  it("denies a HelmChart or HelmChartConfig in the team namespace from the agent, the deployer or the stack", () => {
    const ns = cluster.namespace("dst");
    for (const user of [IDENTITY.fleetAgent, IDENTITY.teamDeployer("dst"), IDENTITY.stack]) {
      const verdict = cluster.admit(namespacedWrite(user, HELM_CHART, ns, chart));
      expect(verdict.allowed, user.username).toBe(false);
      expect(verdict.denials, user.username).toEqual(["lab-team-dst-helm-charts: no k3s HelmChart or HelmChartConfig in team namespace dst: helm-controller runs its install Job as cluster-admin"]);
    }
    const config = { apiVersion: "helm.cattle.io/v1", kind: "HelmChartConfig", metadata: { name: "traefik" }, spec: { valuesContent: "" } };
    expect(cluster.admit(namespacedWrite(IDENTITY.fleetAgent, { ...HELM_CHART, resource: "helmchartconfigs" }, ns, config)).allowed).toBe(false);
  });

  it("admits the stack's HelmCharts in kube-system", () => {
    expect(cluster.admit(namespacedWrite(IDENTITY.stack, HELM_CHART, cluster.namespace("kube-system"), chart))).toEqual({ allowed: true, matchedPolicies: [], denials: [] });
  });
});

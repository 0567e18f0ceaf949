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
import { describe, expect, it } from "vitest";
import { useRecorder } from "../harness/pulumi";
import { IDENTITY, namespacedWrite } from "./harness/cluster";
import { generatedLab, teamBundle, writeBundle } from "./harness/fleet";

useRecorder();
const lab = generatedLab();
const write = (team: string, object: Record<string, any>) => writeBundle(lab(), team, object);

describe("a team's fleet.yaml may not choose the identity or namespace its bundle deploys as", () => {
  it("denies targetCustomizations that impersonate the Fleet agent or another team's deployer", () => {
    for (const account of ["fleet-agent", "team-nomos", "fleet-default", "gitjob"]) {
      const verdict = write("dst", teamBundle("dst", [{ name: "escalate", clusterName: "local", serviceAccount: account }]));
      expect(verdict.allowed, account).toBe(false);
      expect(verdict.denials, account).toEqual(["lab-team-dst-bundles: bundles of team dst deploy only as service account team-dst (fleet.yaml targetCustomizations may not set serviceAccount)"]);
    }
  });

  it("denies a bundle without the team's service account (the agent would fall back to its own) or aimed at another namespace", () => {
    const noAccount = teamBundle("dst");
    delete noAccount.spec.serviceAccount;
    expect(write("dst", noAccount).allowed).toBe(false);
    expect(write("dst", teamBundle("dst", [], { namespace: "nomos" })).allowed).toBe(false);
    const retargeted = teamBundle("dst");
    retargeted.spec.targets[0].namespace = "kube-system";
    expect(write("dst", retargeted).allowed).toBe(false);
  });

  it("admits the team's ordinary bundle, with harmless target customizations, and each team's own", () => {
    expect(write("dst", teamBundle("dst"))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-bundles"], denials: [] });
    const values = teamBundle("dst", [{ name: "local-values", clusterName: "local", helm: { values: { replicas: 2 } } }, { name: "same", clusterName: "local", serviceAccount: "team-dst" }]);
    expect(write("dst", values).allowed).toBe(true);
    expect(write("nomos", teamBundle("nomos")).allowed).toBe(true);
    // The other team's policy does not reach this team's workspace.
    expect(write("nomos", teamBundle("nomos")).matchedPolicies).toEqual(["lab-team-nomos-bundles"]);
  });
});

describe("no k3s HelmChart in a team namespace, whoever sends it", () => {
  const HELM_CHART = { group: "helm.cattle.io", version: "v1", resource: "helmcharts" };
  const chart = { apiVersion: "helm.cattle.io/v1", kind: "HelmChart", metadata: { name: "x" }, spec: { chart: "x", repo: "https://example.org/charts", version: "1.0.0" } };

  it("denies a HelmChart or HelmChartConfig in the team namespace from the agent, the deployer or the stack", () => {
    const ns = lab().namespace("dst");
    for (const user of [IDENTITY.fleetAgent, IDENTITY.teamDeployer("dst"), IDENTITY.stack]) {
      const verdict = lab().admit(namespacedWrite(user, HELM_CHART, ns, chart));
      expect(verdict.allowed, user.username).toBe(false);
      expect(verdict.denials, user.username).toEqual(["lab-team-dst-helm-charts: no k3s HelmChart or HelmChartConfig in team namespace dst: helm-controller runs its install Job as cluster-admin"]);
    }
    const config = { apiVersion: "helm.cattle.io/v1", kind: "HelmChartConfig", metadata: { name: "traefik" }, spec: { valuesContent: "" } };
    expect(lab().admit(namespacedWrite(IDENTITY.fleetAgent, { ...HELM_CHART, resource: "helmchartconfigs" }, ns, config)).allowed).toBe(false);
  });

  it("admits the stack's HelmCharts in kube-system", () => {
    expect(lab().admit(namespacedWrite(IDENTITY.stack, HELM_CHART, lab().namespace("kube-system"), chart))).toEqual({ allowed: true, matchedPolicies: [], denials: [] });
  });
});

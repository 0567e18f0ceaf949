/**
 * The GitOps layer under mocks: Fleet charts and gate, the platform repo, and per-team GitOps that can
 * only deploy into the team's namespace (restriction, impersonated service account, namespace-scoped
 * RBAC, workspace mapping to the local cluster).
 */
import * as k8s from "@pulumi/kubernetes";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { GitOps } from "../../components/gitops/gitops";
import { exactRepoPattern, gitRepoNames } from "../../components/gitops/fleet-values";
import { loadLabModel } from "../../config/load";
import { settle } from "../../tools/plan/recorder";
import { testClusterAccess } from "../harness/cluster-access";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { currentRecorder, plainInputs, runLab, useRecorder, type LabRun } from "../harness/pulumi";

useRecorder({ preview: true });

const example = loadStackConfig();
const second = loadStackConfig("test/fixtures/second-lab.yaml");

const GITREPO = "kubernetes:fleet.cattle.io/v1alpha1:GitRepo";
const RESTRICTION = "kubernetes:fleet.cattle.io/v1alpha1:GitRepoRestriction";
const MAPPING = "kubernetes:fleet.cattle.io/v1alpha1:BundleNamespaceMapping";
const SA = "kubernetes:core/v1:ServiceAccount";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const HELM_CHART = "kubernetes:helm.cattle.io/v1:HelmChart";
const LIMIT_RANGE = "kubernetes:core/v1:LimitRange";

const objects = (run: LabRun, type: string) => run.ofType(type, "lab:gitops:GitOps").map((r) => ({ record: r, obj: plainInputs(r) }));
const gateWait = (run: LabRun) => run.get("command:remote:Command", "fleet-ready-wait");
const afterFleetGate = (run: LabRun, urns: readonly string[]) =>
  urns.includes(gateWait(run).urn) || urns.includes(run.get("lab:shared:ReadinessGate", "fleet-ready").urn);

describe("Fleet", () => {
  it("installs fleet-crd then fleet at the pinned version, with release image tags and the agent namespace pinned", async () => {
    const run = await runLab(example);
    const crd = plainInputs(run.get(HELM_CHART, "fleet-crd")).spec;
    const fleet = plainInputs(run.get(HELM_CHART, "fleet")).spec;
    for (const spec of [crd, fleet]) {
      expect(spec).toMatchObject({ repo: "https://rancher.github.io/fleet-helm-charts/", version: "0.14.6", targetNamespace: "cattle-fleet-system", bootstrap: false });
    }
    expect(run.get(HELM_CHART, "fleet").dependsOn).toContain(run.get(HELM_CHART, "fleet-crd").urn);
    const values = yaml.load(fleet.valuesContent) as any;
    expect(values.image).toEqual({ repository: "rancher/fleet", tag: "v0.14.6" });
    expect(values.agentImage).toEqual({ repository: "rancher/fleet-agent", tag: "v0.14.6" });
    expect(values.bootstrap).toEqual({ enabled: true, namespace: "fleet-local", agentNamespace: "cattle-fleet-system" });
    // Fleet 0.14's only `resources` key sets pod-level resources; container defaults come from LimitRanges.
    expect(values.resources).toBeUndefined();
  });

  it("gives every Fleet namespace container defaults before the charts install", async () => {
    const run = await runLab(example);
    const ranges = objects(run, LIMIT_RANGE);
    expect(ranges.map((r) => r.obj.metadata.namespace).sort()).toEqual(["cattle-fleet-system", "fleet-local", "fleet-team-dst", "fleet-team-nomos"]);
    for (const { obj } of ranges) {
      expect(obj.spec.limits).toEqual([{ type: "Container", defaultRequest: { cpu: "250m", memory: "768Mi" }, default: { cpu: "8", memory: "8Gi" } }]);
    }
    const crdDeps = run.get(HELM_CHART, "fleet-crd").dependsOn;
    expect(crdDeps).toContain(run.get("kubernetes:core/v1:Namespace", "fleet-system").urn);
    expect(crdDeps).toContain(run.get("kubernetes:core/v1:Namespace", "fleet-local").urn);
  });

  it("gates on CRDs, controllers and the local cluster, after the chart and the network", async () => {
    const run = await runLab(example);
    const script = plainInputs(gateWait(run)).create as string;
    for (const crd of ["gitrepos", "gitreporestrictions", "bundlenamespacemappings", "clusters"]) expect(script).toContain(`crd/${crd}.fleet.cattle.io`);
    for (const d of ["fleet-controller", "gitjob", "helmops"]) expect(script).toContain(`-n cattle-fleet-system rollout status deployment/${d}`);
    expect(script).toContain("-n fleet-local get clusters.fleet.cattle.io local");
    expect(run.get("lab:shared:ReadinessGate", "fleet-ready").dependsOn).toContain(run.get(HELM_CHART, "fleet").urn);
    const kubeOvnGate = run.get("command:remote:Command", "kube-ovn-ready-wait").urn;
    expect(run.get("kubernetes:core/v1:Namespace", "fleet-system").dependsOn).toContain(kubeOvnGate);
  });

  it("deploys the platform repo cluster-wide from fleet-local when configured, and not otherwise", async () => {
    const run = await runLab(example);
    const platform = objects(run, GITREPO).filter((g) => g.obj.metadata.namespace === "fleet-local");
    expect(platform.map((p) => p.obj.metadata.name)).toEqual(["lab-platform"]);
    expect(platform[0].obj.spec).toEqual({ repo: "https://git.example.org/vac/dst-lab", branch: "main", paths: ["fleet"], correctDrift: { enabled: true } });
    expect(afterFleetGate(run, platform[0].record.dependsOn)).toBe(true);
    const without = await runLab(second);
    expect(objects(without, GITREPO).filter((g) => g.obj.metadata.namespace === "fleet-local")).toEqual([]);
  });
});

describe("per-team GitOps", () => {
  for (const [label, raw] of [["example", example], ["second", second]] as const) {
    it(`${label} lab: each team's repos can deploy only into its namespace`, async () => {
      const run = await runLab(raw);
      const teams = run.model.teams.filter((t) => t.repos.length > 0);
      expect(teams.length).toBeGreaterThan(0);
      const repos = objects(run, GITREPO).filter((g) => g.obj.metadata.namespace !== "fleet-local");
      expect(repos.length).toBe(teams.reduce((n, t) => n + t.repos.length, 0));
      // Cluster-wide, a team's service account gets only the namespace create Helm's CreateNamespace
      // needs, after the admission policy that limits it to the team's own namespace.
      const clusterBindings = run.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "lab:gitops:GitOps");
      expect(clusterBindings.map((b) => plainInputs(b).roleRef.name)).toEqual(teams.map(() => "lab-team-deployer-namespace-create"));
      for (const b of clusterBindings) {
        const team = teams.find((t) => plainInputs(b).subjects[0].name === `team-${t.name}`)!;
        const guard = run.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy", "lab:gitops:GitOps")
          .find((p) => plainInputs(p).metadata.name === `lab-team-${team.name}-deployer-namespaces`)!;
        expect(b.dependsOn).toContain(guard.urn);
      }
      for (const team of teams) {
        const workspace = `fleet-team-${team.name}`;
        const sa = `team-${team.name}`;
        const account = objects(run, SA).find((s) => s.obj.metadata.name === sa)!;
        expect(account.obj.metadata.namespace).toBe("cattle-fleet-system");
        expect(afterFleetGate(run, account.record.dependsOn)).toBe(true);
        const bindings = objects(run, ROLE_BINDING).filter((b) => b.obj.subjects.some((s: any) => s.name === sa));
        expect(bindings.map((b) => b.obj)).toEqual([{
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: `fleet-${sa}`, namespace: team.namespace },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "lab-team-deployer" },
          subjects: [{ kind: "ServiceAccount", name: sa, namespace: "cattle-fleet-system" }],
        }]);

        const restrictions = objects(run, RESTRICTION).filter((r) => r.obj.metadata.namespace === workspace);
        expect(restrictions.length).toBe(1);
        const restriction = restrictions[0].obj;
        expect(restriction.spec).toBeUndefined(); // the CRD's fields are top-level
        expect(restriction.allowedServiceAccounts).toEqual([sa]);
        expect(restriction.defaultServiceAccount).toBe(sa);
        expect(restriction.allowedTargetNamespaces).toEqual([team.namespace]);
        const patterns = (restriction.allowedRepoPatterns as string[]).map((p) => new RegExp(p));
        for (const repo of team.repos) expect(patterns.some((p) => p.test(repo.url)), repo.url).toBe(true);
        for (const other of run.model.teams.filter((t) => t !== team).flatMap((t) => t.repos)) {
          expect(patterns.some((p) => p.test(other.url)), other.url).toBe(false);
        }
        for (const repo of team.repos) expect(patterns.some((p) => p.test(`${repo.url}-fork`))).toBe(false);

        const mapping = objects(run, MAPPING).find((m) => m.obj.metadata.namespace === workspace)!.obj;
        expect(mapping.namespaceSelector).toEqual({ matchLabels: { "kubernetes.io/metadata.name": "fleet-local" } });

        const mine = repos.filter((g) => g.obj.metadata.namespace === workspace);
        expect(mine.map((g) => g.obj.spec.repo).sort()).toEqual(team.repos.map((r) => r.url).sort());
        for (const { record, obj } of mine) {
          expect(obj.spec).toMatchObject({ targetNamespace: team.namespace, serviceAccount: sa, targets: [{ clusterName: "local" }] });
          // The mapping selects exactly this team's bundles (labels copied from the GitRepo).
          expect(mapping.bundleSelector.matchLabels).toEqual(obj.metadata.labels);
          const deps = record.dependsOn;
          expect(afterFleetGate(run, deps)).toBe(true);
          for (const before of [restrictions[0].record, account.record, bindings[0].record]) expect(deps).toContain(before.urn);
        }
      }
    });
  }

  it("carries branch, paths and drift correction from the config", async () => {
    const run = await runLab(second);
    const alpha = objects(run, GITREPO).filter((g) => g.obj.metadata.namespace === "fleet-team-alpha").map((g) => g.obj);
    expect(alpha.map((g) => g.metadata.name).sort()).toEqual(["alpha-deploy", "alpha-tools"]);
    expect(alpha.find((g) => g.metadata.name === "alpha-deploy")!.spec).toMatchObject({ branch: "release", paths: ["k8s", "extra"], correctDrift: { enabled: false } });
    expect(alpha.find((g) => g.metadata.name === "alpha-tools")!.spec.paths).toBeUndefined();
    // gamma has no repos: no Fleet objects at all.
    expect(run.records.filter((r) => JSON.stringify(plainInputs(r)).includes("fleet-team-gamma"))).toEqual([]);
  });

  it("waits for the team namespaces it is given", async () => {
    const recorder = currentRecorder();
    recorder.reset();
    const model = loadLabModel(example, "test");
    const access = testClusterAccess("gitops-test");
    const namespaces = Object.fromEntries(
      model.teams.map((t) => [t.name, new k8s.core.v1.Namespace(`ns-${t.name}`, { metadata: { name: t.namespace } }, { provider: access.provider })]),
    );
    const networkReady = new k8s.core.v1.ConfigMap("network-ready-stand-in", {}, { provider: access.provider });
    new GitOps("gitops", { model, access, networkReady, teamDependsOn: { dst: [namespaces.dst], nomos: [namespaces.nomos] } });
    await settle();
    const records = [...recorder.records];
    const urnOf = (type: string, name: string) => records.find((r) => r.type === type && r.name === name)!.urn;
    for (const team of ["dst", "nomos"]) {
      const nsUrn = urnOf("kubernetes:core/v1:Namespace", `ns-${team}`);
      const binding = records.find((r) => r.type === ROLE_BINDING && r.name === `${team}-gitops-deployer`)!;
      expect(binding.dependsOn).toContain(nsUrn);
      for (const repo of records.filter((r) => r.type === GITREPO && r.name.startsWith(`${team}-gitops-`))) expect(repo.dependsOn).toContain(nsUrn);
    }
    expect(records.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "fleet-system")!.dependsOn).toContain(
      urnOf("kubernetes:core/v1:ConfigMap", "network-ready-stand-in"),
    );
  });
});

describe("Fleet naming helpers", () => {
  it("builds anchored, escaped repo patterns", () => {
    const p = new RegExp(exactRepoPattern("https://git.example.org/a/b.git"));
    expect(p.test("https://git.example.org/a/b.git")).toBe(true);
    expect(p.test("https://gitXexample.org/a/b.git")).toBe(false);
    expect(p.test("https://evil.example/?https://git.example.org/a/b.git")).toBe(false);
  });

  it("names GitRepos <team>-<repo>, unique within a team, so that the bundles fleet apply names after them are the team's", () => {
    expect(gitRepoNames("dst", ["https://h/x/Deploy.git", "git@h:y/deploy", "ssh://h/z/tools_v2", "https://h/", "https://h/a/dst-app"])).toEqual([
      "dst-deploy", "dst-deploy-2", "dst-tools-v2", "dst-h", "dst-app",
    ]);
    // A de-duplicated name never meets a repo that already ends in -2.
    expect(gitRepoNames("dst", ["https://h/a/deploy", "https://h/b/deploy-2", "https://h/c/deploy"])).toEqual(["dst-deploy", "dst-deploy-2", "dst-deploy-3"]);
    // Two teams whose URLs end alike get different names.
    expect(gitRepoNames("alpha", ["https://h/alpha/deploy"])).not.toEqual(gitRepoNames("beta", ["https://h/beta/deploy"]));
    // At most 63 characters (the bundles' fleet.cattle.io/repo-name label), with the prefix kept.
    const long = gitRepoNames("t".repeat(46), ["https://h/x/" + "r".repeat(80), "https://h/y/" + "r".repeat(80)]);
    for (const name of long) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name.startsWith("t".repeat(46) + "-")).toBe(true);
    }
    expect(new Set(long).size).toBe(2);
  });
});

describe("config changes reach the objects", () => {
  it("a team's new repo becomes one more GitRepo and pattern", async () => {
    const raw = withChanges(example, (c) => c["lab:teams"][0].repos.push({ url: "https://git.example.org/vac/extra" }));
    const run = await runLab(raw);
    const restriction = objects(run, RESTRICTION).find((r) => r.obj.metadata.namespace === "fleet-team-dst")!.obj;
    expect(restriction.allowedRepoPatterns).toHaveLength(2);
    expect(objects(run, GITREPO).filter((g) => g.obj.metadata.namespace === "fleet-team-dst")).toHaveLength(2);
  });
});

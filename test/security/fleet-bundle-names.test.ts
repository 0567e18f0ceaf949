/**
 * Issue 20, way 5: a team takes over another team's or the platform's deployment through the
 * bundle name. fleet.yaml `name:` sets the Bundle name verbatim (fleet v0.14.6
 * internal/bundlereader/read.go L184-187); the controller names the BundleDeployment after the Bundle
 * alone, in the cluster's namespace (internal/cmd/controller/target/partition.go L36-39), and
 * overwrites an existing one of that name (reconciler/bundle_controller.go L504-512); the agent then
 * uninstalls the victim's release (internal/cmd/agent/deployer/cleanup/cleanup.go L143-150;
 * rancher/fleet#3762). The same happens by accident when two teams' GitRepos carry the same name.
 *
 * The attacker is a member of team dst who can push anything to dst's Fleet repo: every Bundle below
 * is what `fleet apply` in dst's gitjob writes for a fleet.yaml the attacker chose.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, namespacedWrite } from "./harness/cluster";
import { BUNDLE, BUNDLE_DEPLOYMENT, FLEET_CONTROLLER, LOCAL_CLUSTER_NAMESPACE, bundleDeployment, generatedLab, gitJob, teamBundle, writeBundle } from "./harness/fleet";

useRecorder();

const GITREPO = "kubernetes:fleet.cattle.io/v1alpha1:GitRepo";
const example = loadStackConfig();

const lab = generatedLab(example);

/**
 * The bundle names `fleet apply` gives a GitRepo's paths: HelmReleaseName("<GitRepo>/<path>")
 * (internal/cmd/cli/apply/apply.go bundleFromDir L376-387; internal/names/name.go L64-104), which
 * for the lowercase, short names of these fixtures is "<GitRepo>-<path>", or "<GitRepo>" alone.
 */
function defaultBundleNames(gitRepo: { metadata: { name: string }; spec: { paths?: string[] } }): string[] {
  const paths = gitRepo.spec.paths ?? [];
  return paths.length === 0 ? [gitRepo.metadata.name] : paths.map((p) => `${gitRepo.metadata.name}-${p}`);
}

function gitRepos(c: GeneratedCluster, namespace: string): any[] {
  return c.inputs(GITREPO).filter((g) => g.metadata.namespace === namespace);
}

const write = writeBundle;

describe("way 5: a team's bundle may carry only the team's own names", () => {
  it("denies a bundle named like the platform's, Fleet's agent bundle or another team's", () => {
    // The victims' names, as the generated lab produces them.
    const platform = gitRepos(lab(), "fleet-local").flatMap(defaultBundleNames);
    const nomos = gitRepos(lab(), "fleet-team-nomos").flatMap(defaultBundleNames);
    expect(platform).toEqual(["lab-platform-fleet"]);
    expect(nomos.length).toBeGreaterThan(0);
    for (const victim of [...platform, "fleet-agent-local", ...nomos, "nomos", "lab-platform"]) {
      const verdict = write(lab(), "dst", teamBundle("dst", [], {}, victim));
      expect(verdict.allowed, victim).toBe(false);
      expect(verdict.denials, victim).toEqual([
        `lab-team-dst-bundles: bundle names of team dst start with "dst-" (fleet.yaml name:): a bundle of another name would take over that name's deployment`,
      ]);
    }
  });

  it("denies a Helm release name outside the team's, at the top or in a target customization", () => {
    const denial = `lab-team-dst-bundles: Helm release names of team dst start with "dst-" (fleet.yaml helm.releaseName)`;
    for (const releaseName of ["lab-platform-fleet", "nomos-lab-deployments", "web"]) {
      expect(write(lab(), "dst", teamBundle("dst", [], { helm: { releaseName } })).denials, releaseName).toEqual([denial]);
      const customized = teamBundle("dst", [{ name: "x", clusterName: "local", helm: { releaseName } }]);
      expect(write(lab(), "dst", customized).denials, releaseName).toEqual([denial]);
    }
  });

  it("denies a defaultNamespace outside the team namespace, at the top or in a target customization", () => {
    const denial = "lab-team-dst-bundles: bundles of team dst deploy only into namespace dst (namespace and defaultNamespace)";
    expect(write(lab(), "dst", teamBundle("dst", [], { defaultNamespace: "nomos" })).denials).toEqual([denial]);
    expect(write(lab(), "dst", teamBundle("dst", [{ name: "x", clusterName: "local", defaultNamespace: "kube-system" }])).denials).toEqual([denial]);
  });

  it("admits the team's own bundles: default names from its GitRepos, its own fleet.yaml name and release name", () => {
    const own = gitRepos(lab(), "fleet-team-dst").flatMap(defaultBundleNames);
    expect(own).toEqual(["dst-experiments-fleet"]);
    for (const name of [...own, "dst-web", `dst-${"x".repeat(43)}-1a2b3`]) {
      expect(write(lab(), "dst", teamBundle("dst", [], {}, name)), name).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-bundles"], denials: [] });
    }
    const release = teamBundle("dst", [{ name: "x", clusterName: "local", helm: { releaseName: "dst-web-canary" } }], { helm: { releaseName: "dst-web" }, defaultNamespace: "dst" });
    expect(write(lab(), "dst", release).allowed).toBe(true);
    for (const name of gitRepos(lab(), "fleet-team-nomos").flatMap(defaultBundleNames)) {
      expect(write(lab(), "nomos", teamBundle("nomos", [], {}, name)).allowed, name).toBe(true);
    }
  });
});

describe("way 5: bundles from before the rule", () => {
  const update = (before: Record<string, any>, after: Record<string, any>) =>
    lab().admit(namespacedWrite(gitJob("dst"), BUNDLE, lab().namespace("fleet-team-dst"), after, before));
  // Named by the GitRepo `experiments` before GitRepo names carried the team.
  const legacy: Record<string, any> = teamBundle("dst", [], {}, "experiments-fleet");
  legacy.metadata.finalizers = ["fleet.cattle.io/bundle-finalizer"];

  it("may still lose their finalizer (Fleet deletes a bundle with an UPDATE), so the renamed GitRepo's old bundles go away", () => {
    const released = { ...legacy, metadata: { ...legacy.metadata, finalizers: [], deletionTimestamp: "2026-12-07T15:00:00Z" } };
    expect(update(legacy, released).allowed).toBe(true);
  });

  it("may change neither what they deploy nor their labels (the mapping selects by label)", () => {
    expect(update(legacy, { ...legacy, spec: { ...legacy.spec, resources: [{ name: "x.yaml", content: "kind: ConfigMap" }] } }).allowed).toBe(false);
    expect(update(legacy, { ...legacy, metadata: { ...legacy.metadata, labels: { ...legacy.metadata.labels, extra: "x" } } }).allowed).toBe(false);
    const { labels: _dropped, ...bare } = legacy.metadata;
    const unlabelled = { ...legacy, metadata: bare };
    expect(update(unlabelled, legacy).allowed).toBe(false);
  });
});

describe("way 5: two teams whose repository URLs end alike", () => {
  const alike = withChanges(example, (c) => {
    c["lab:teams"][0].repos = [{ url: "https://git.example.org/vac/deploy", branch: "main" }];
    c["lab:teams"][1].repos = [{ url: "https://git.example.org/nomos/deploy", branch: "main" }];
  });

  it("get GitRepos, and so bundles, of different names, each admitted only in its own team's workspace", async () => {
    const twin = new GeneratedCluster(await runLab(alike));
    const dst = gitRepos(twin, "fleet-team-dst").flatMap(defaultBundleNames);
    const nomos = gitRepos(twin, "fleet-team-nomos").flatMap(defaultBundleNames);
    expect(dst).toEqual(["dst-deploy"]);
    expect(nomos).toEqual(["nomos-deploy"]);
    expect(write(twin, "dst", teamBundle("dst", [], {}, dst[0])).allowed).toBe(true);
    expect(write(twin, "nomos", teamBundle("nomos", [], {}, nomos[0])).allowed).toBe(true);
    // Each team's name in the other's workspace is refused: no bundle name is reachable from two workspaces.
    expect(write(twin, "dst", teamBundle("dst", [], {}, nomos[0])).allowed).toBe(false);
    expect(write(twin, "nomos", teamBundle("nomos", [], {}, dst[0])).allowed).toBe(false);
  });
});

describe("way 5: the plan refuses team names whose bundle names another owner also has", () => {
  const problemsOf = (change: (c: any) => void) => validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
  const addTeam = (name: string) => (c: any) =>
    c["lab:teams"].push({ name, pools: ["experiments"], quota: { cpu: 1, memoryGiB: 1 }, repos: [{ url: `https://git.example.org/${name}/x`, branch: "main" }] });

  it("refuses a team named as the start of another team's name, both with repos", () => {
    expect(problemsOf(addTeam("dst-ext"))).toContain(
      `lab:teams[2].name: team "dst-ext"'s Fleet bundle names ("dst-ext-…") are also team "dst"'s ("dst-…", lab:teams[0]): rename one of them`,
    );
  });

  it("refuses a team whose names would reach the platform repo's or Fleet's own bundles", () => {
    for (const [name, platform] of [["lab", "lab-platform"], ["fleet", "fleet-agent"], ["lab-platform", "lab-platform"]] as const) {
      const found = problemsOf(addTeam(name));
      expect(found, name).toContain(
        `lab:teams[2].name: the team's Fleet bundle names ("${name}-…") overlap the platform's "${platform}…": choose a team name that is not the start of "${platform}"`,
      );
    }
  });

  it("accepts teams whose names only share a start without the separator, and a prefix-named team without repos", () => {
    expect(problemsOf(addTeam("dstx")).filter((p) => p.includes("bundle names"))).toEqual([]);
    expect(problemsOf((c) => c["lab:teams"].push({ name: "dst-ext", pools: ["experiments"], quota: { cpu: 1, memoryGiB: 1 } })).filter((p) => p.includes("bundle names"))).toEqual([]);
  });
});

describe("way 5, whatever chose the name: a BundleDeployment stays with its Bundle", () => {
  const clusterNs = LOCAL_CLUSTER_NAMESPACE;

  it("denies the controller handing the platform's BundleDeployment to a team bundle of the same name", () => {
    const platform = bundleDeployment("lab-platform-fleet", "fleet-local");
    const takeover = bundleDeployment("lab-platform-fleet", "fleet-team-dst", { options: { namespace: "dst", serviceAccount: "team-dst" } });
    const verdict = lab().admit(namespacedWrite(FLEET_CONTROLLER, BUNDLE_DEPLOYMENT, clusterNs, takeover, platform));
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials).toEqual([
      "lab-fleet-bundle-deployment-owner: a BundleDeployment stays with the Bundle that created it (fleet.cattle.io/bundle-namespace unchanged): a Bundle of the same name in another namespace would take over its deployment",
    ]);
    // Nor may the label be dropped on the way.
    const unlabelled = { ...takeover, metadata: { ...takeover.metadata, labels: { "fleet.cattle.io/bundle-name": "lab-platform-fleet" } } };
    expect(lab().admit(namespacedWrite(FLEET_CONTROLLER, BUNDLE_DEPLOYMENT, clusterNs, unlabelled, platform)).allowed).toBe(false);
    // One team's deployment to another team's bundle.
    const nomos = bundleDeployment("nomos-lab-deployments", "fleet-team-nomos");
    const stolen = bundleDeployment("nomos-lab-deployments", "fleet-team-dst");
    expect(lab().admit(namespacedWrite(FLEET_CONTROLLER, BUNDLE_DEPLOYMENT, clusterNs, stolen, nomos)).allowed).toBe(false);
  });

  it("admits the controller's ordinary create and update of a BundleDeployment for the same Bundle", () => {
    const before = bundleDeployment("dst-experiments-fleet", "fleet-team-dst");
    const after = bundleDeployment("dst-experiments-fleet", "fleet-team-dst", { deploymentID: "s-2:def", stagedDeploymentID: "s-2:def" });
    expect(lab().admit(namespacedWrite(FLEET_CONTROLLER, BUNDLE_DEPLOYMENT, clusterNs, before))).toEqual({ allowed: true, matchedPolicies: [], denials: [] });
    expect(lab().admit(namespacedWrite(FLEET_CONTROLLER, BUNDLE_DEPLOYMENT, clusterNs, after, before))).toEqual({
      allowed: true, matchedPolicies: ["lab-fleet-bundle-deployment-owner"], denials: [],
    });
  });
});

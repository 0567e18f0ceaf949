/**
 * Release ownership beyond names: the Fleet agent lists every Helm release record in the cluster
 * (Secrets labelled `owner=helm`; fleet v0.14.6 internal/helmdeployer/list.go L24-58) and its
 * garbage collector uninstalls a record whose bundle has no BundleDeployment, impersonating the
 * service account named inside the record, or with its own client (internal/cmd/agent/deployer/
 * cleanup/cleanup.go L122-150, internal/helmdeployer/delete.go L50-96). `helm uninstall` deletes
 * the record's manifest wherever it points. A team that writes such a record makes the agent
 * delete another team's workloads, the monitoring stack or CRDs. Not run live.
 */
import { describe, expect, it } from "vitest";
import { useRecorder } from "../harness/pulumi";
import { IDENTITY, namespacedWrite } from "./harness/cluster";
import { generatedLab, gitJob } from "./harness/fleet";

useRecorder();
const lab = generatedLab();

const SECRET = { group: "", version: "v1", resource: "secrets" };
const DENIAL =
  "lab-team-dst-helm-releases: Helm release records (Secrets of type helm.sh/release.v1 or labelled owner=helm) in dst are written only by Helm's storage for system:serviceaccount:cattle-fleet-system:team-dst, and none in fleet-team-dst: the Fleet agent uninstalls a record's manifest with the identity the record names";

/** A release record as Helm's storage driver writes it (helm v3.19.5 pkg/storage/driver/secrets.go newSecretsObject). */
function record(release: string, version = 1, status = "deployed", extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Record<string, any> {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "helm.sh/release.v1",
    metadata: {
      name: `sh.helm.release.v1.${release}.v${version}`,
      labels: { name: release, owner: "helm", status, version: String(version), ...extra.labels },
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    // base64(gzip(JSON release)): the chart annotations the agent trusts are inside, out of admission's sight.
    data: { release: "SDRzSUFBQUFBQUFBLzZ1dUFvQQ==" },
  };
}

const inTeam = (user: Parameters<typeof namespacedWrite>[0], object: Record<string, any>, old: Record<string, any> | null = null) =>
  lab().admit(namespacedWrite(user, SECRET, lab().namespace("dst"), object, old));

describe("a team cannot forge the Helm release records the Fleet agent acts on", () => {
  it("denies a team member writing a release record, or any Secret labelled owner=helm, in the team namespace", () => {
    expect(inTeam(IDENTITY.teamMember("dst"), record("dst-web")).denials).toEqual([DENIAL]);
    const labelled = { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: "x", labels: { owner: "helm" } }, data: { release: "eA==" } };
    expect(inTeam(IDENTITY.teamMember("dst"), labelled).denials).toEqual([DENIAL]);
  });

  it("denies a record shipped in the team's chart, as a resource (post-rendered) or as a hook (not post-rendered)", () => {
    const resource = record("dst-forged", 1, "deployed", {
      labels: { "objectset.rio.cattle.io/hash": "0f1e2d", "app.kubernetes.io/managed-by": "Helm" },
      annotations: { "objectset.rio.cattle.io/id": "default-dst-web", "meta.helm.sh/release-name": "dst-web", "meta.helm.sh/release-namespace": "dst" },
    });
    expect(inTeam(IDENTITY.teamDeployer("dst"), resource).denials).toEqual([DENIAL]);
    const hook = record("dst-forged", 1, "deployed", { annotations: { "helm.sh/hook": "pre-install" } });
    expect(inTeam(IDENTITY.teamDeployer("dst"), hook).denials).toEqual([DENIAL]);
  });

  it("denies a record in the team's Fleet workspace, written with the gitjob's token (issue 20 way 13)", () => {
    const verdict = lab().admit(namespacedWrite(gitJob("dst"), SECRET, lab().namespace("fleet-team-dst"), record("dst-web")));
    expect(verdict.denials).toEqual([DENIAL]);
  });

  it("admits Helm's own record writes through the team's deployer, and the team's ordinary Secrets", () => {
    const deployer = IDENTITY.teamDeployer("dst");
    expect(inTeam(deployer, record("dst-web"))).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-helm-releases"], denials: [] });
    expect(inTeam(deployer, record("dst-web", 1, "superseded"), record("dst-web")).allowed).toBe(true);
    const own = { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: "db", labels: { app: "web" } }, data: { password: "eA==" } };
    expect(inTeam(IDENTITY.teamMember("dst"), own).allowed).toBe(true);
    // Fleet's bundle values Secret in the workspace, written by the gitjob (apply.go writeBundle).
    const values = { apiVersion: "v1", kind: "Secret", type: "fleet.cattle.io/bundle-values/v1alpha1", metadata: { name: "dst-app-web" }, data: { "values.yaml": "eA==" } };
    expect(lab().admit(namespacedWrite(gitJob("dst"), SECRET, lab().namespace("fleet-team-dst"), values)).allowed).toBe(true);
    // Another team's deployer has its own policy and namespace.
    expect(lab().admit(namespacedWrite(IDENTITY.teamDeployer("nomos"), SECRET, lab().namespace("nomos"), record("nomos-x"))).allowed).toBe(true);
  });
});

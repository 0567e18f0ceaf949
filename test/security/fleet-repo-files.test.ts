/**
 * Issue 20, way 13: `fleet apply` in a team's gitjob reads files from outside the team's repository
 * into the team's Bundle. The job's container holds its service-account token at
 * /var/run/secrets/kubernetes.io/serviceaccount (fleet v0.14.6 internal/cmd/controller/gitops/
 * reconciler/gitjob.go L456, ServiceAccountName `git-<GitRepo>`).
 *
 * - fleet.yaml `helm.chart: /var/run/secrets/kubernetes.io/serviceaccount` (no `repo`): the path is
 *   not inside the bundle directory, so it is taken as a go-getter source (internal/bundlereader/
 *   resources.go addRemoteCharts L208-235, charturl.go ChartURL L118-120) and the file getter reads
 *   the directory (loaddirectory.go GetContent L207-338): the token becomes a bundle resource, and
 *   a chart template puts it into a ConfigMap of the team. `file:` URLs and `..` likewise;
 *   `helm.valuesFiles` are read as `<dir>/<file>` (resources.go generateValues L184).
 * - A symlink in the repository (`files/token -> /var/run/...`) is read through (loaddirectory.go
 *   L326 `os.ReadFile` on the walked entry): nothing in the Bundle shows it, so no policy can refuse
 *   it; what the token then allows is below.
 */
import { describe, expect, it } from "vitest";
import { useRecorder } from "../harness/pulumi";
import { generatedLab, teamBundle, writeBundle } from "./harness/fleet";

useRecorder();
const lab = generatedLab();
const write = (team: string, object: Record<string, any>) => writeBundle(lab(), team, object);

const DENIAL =
  "lab-team-dst-bundles: bundles of team dst read charts and values files only from their repository (fleet.yaml helm.chart, helm.valuesFiles: no absolute path, file: URL or '..')";

const OUTSIDE = [
  "/var/run/secrets/kubernetes.io/serviceaccount",
  "file:///var/run/secrets/kubernetes.io/serviceaccount",
  "FILE:/var/run/secrets/kubernetes.io/serviceaccount",
  "file::/var/run/secrets/kubernetes.io/serviceaccount",
  "../../../../var/run/secrets/kubernetes.io/serviceaccount",
  "chart/../../../../../var/run/secrets/kubernetes.io/serviceaccount",
  "..",
];

describe("way 13: a team's bundle reads only files of its own repository", () => {
  it("denies helm.chart outside the repository, at the top and in a target customization", () => {
    for (const chart of OUTSIDE) {
      expect(write("dst", teamBundle("dst", [], { helm: { chart } })).denials, chart).toEqual([DENIAL]);
      expect(write("dst", teamBundle("dst", [{ name: "x", clusterName: "local", helm: { chart } }])).denials, chart).toEqual([DENIAL]);
    }
  });

  it("denies helm.valuesFiles outside the repository", () => {
    for (const file of ["/etc/fleet/helm/secrets-path.yaml", "../../../../run/config/targets.yaml", "values/../../../x.yaml"]) {
      expect(write("dst", teamBundle("dst", [], { helm: { chart: "./chart", valuesFiles: ["values.yaml", file] } })).denials, file).toEqual([DENIAL]);
      expect(write("dst", teamBundle("dst", [{ name: "x", clusterName: "local", helm: { valuesFiles: [file] } }])).denials, file).toEqual([DENIAL]);
    }
  });

  it("admits the team's own charts: a directory of the repo, a chart of a Helm repository, OCI and HTTPS chart URLs, its values files", () => {
    const own = [
      { chart: "./chart", valuesFiles: ["values/lab.yaml"] },
      { chart: "chart" },
      { chart: "nginx", repo: "https://charts.bitnami.com/bitnami", version: "18.1.0" },
      { chart: "oci://ghcr.io/example/charts/web", version: "1.2.3" },
      { chart: "https://example.org/charts/web-1.2.3.tgz" },
      { chart: "charts/web..v2" },
    ];
    for (const helm of own) {
      expect(write("dst", teamBundle("dst", [], { helm })), helm.chart).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-bundles"], denials: [] });
    }
  });
});

describe("way 13, the symlink route: a leaked gitjob token writes Bundles only as fleet apply may", () => {
  it("denies a Bundle written directly with the gitjob's token (no fleet apply flags) that takes a foreign name, identity or namespace", () => {
    // The token holder writes the Bundle itself: nothing forces the service account or namespace.
    const raw = teamBundle("dst", [], {}, "lab-platform-fleet");
    delete raw.spec.serviceAccount;
    raw.spec.namespace = "kube-system";
    raw.spec.targets = [{ name: "t", clusterName: "local", serviceAccount: "fleet-agent" }];
    const verdict = write("dst", raw);
    expect(verdict.allowed).toBe(false);
    expect(verdict.denials).toHaveLength(3);
    expect(verdict.denials.join("\n")).toMatch(/deploy only as service account team-dst/);
    expect(verdict.denials.join("\n")).toMatch(/deploy only into namespace dst/);
    expect(verdict.denials.join("\n")).toMatch(/bundle names of team dst start with "dst-"/);
  });

  it("admits the same token writing the team's ordinary bundle", () => {
    expect(write("dst", teamBundle("dst")).allowed).toBe(true);
  });
});

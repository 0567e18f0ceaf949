/**
 * Fleet objects as the attack tests send them: the Bundle `fleet apply` writes for a team's GitRepo
 * (fleet v0.14.6 internal/bundlereader/read.go bundleFromDir L146-297, with the flags gitjob passes,
 * internal/cmd/controller/gitops/reconciler/gitjob.go argsAndEnvs L640-680), the identity it runs
 * as, and the BundleDeployment the controller writes for a Bundle (internal/cmd/controller/target/
 * partition.go L36-39, target.go BundleDeploymentLabels L92-116).
 */
import { beforeAll } from "vitest";
import { loadStackConfig } from "../../harness/fixtures";
import { runLab } from "../../harness/pulumi";
import type { UserInfo, Verdict } from "./admission";
import { GeneratedCluster, namespacedWrite } from "./cluster";

export const BUNDLE = { group: "fleet.cattle.io", version: "v1alpha1", resource: "bundles" };
export const BUNDLE_DEPLOYMENT = { group: "fleet.cattle.io", version: "v1alpha1", resource: "bundledeployments" };

/** gitjob's `fleet apply` runs as `git-<GitRepo>` in the workspace (reconciler/rbac.go, gitjob.go L439, L456). */
export function gitJob(team: string, gitRepo = `${team}-app`): UserInfo {
  return {
    username: `system:serviceaccount:fleet-team-${team}:git-${gitRepo}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:fleet-team-${team}`, "system:authenticated"],
  };
}

/** The Fleet controller (it writes BundleDeployments). */
export const FLEET_CONTROLLER: UserInfo = {
  username: "system:serviceaccount:cattle-fleet-system:fleet-controller",
  groups: ["system:serviceaccounts", "system:serviceaccounts:cattle-fleet-system", "system:authenticated"],
};

/**
 * The Bundle `fleet apply --service-account team-<team> --target-namespace <team>` writes: `name`
 * (default `<team>-app-web`, as HelmReleaseName("<team>-app/web") from GitRepo `<team>-app`,
 * path `web`); `targets` are fleet.yaml's targetCustomizations (first, read.go L177) then the
 * GitRepo's; the target namespace is forced on every target (read.go L255-260), nothing else is;
 * `top` is merged into the spec as fleet.yaml's top-level options would be.
 */
export function teamBundle(
  team: string,
  targets: Record<string, unknown>[] = [],
  top: Record<string, unknown> = {},
  name = `${team}-app-web`,
): Record<string, any> {
  const forced = { namespace: team };
  return {
    apiVersion: "fleet.cattle.io/v1alpha1",
    kind: "Bundle",
    metadata: { name, labels: { "lab.vac.dev/fleet-team": team, "fleet.cattle.io/repo-name": `${team}-app` } },
    spec: {
      serviceAccount: `team-${team}`,
      ...forced,
      resources: [{ name: "deployment.yaml", content: "kind: Deployment" }],
      targets: [...targets.map((t) => ({ ...t, ...forced })), { name: "target000", clusterName: "local", ...forced }],
      targetRestrictions: [{ name: "target000", clusterName: "local" }],
      ...top,
    },
  };
}

/** The cluster namespace of Fleet's `local` cluster (names.SafeConcatName("cluster", ns, name, hash)). */
export const LOCAL_CLUSTER_NAMESPACE = { apiVersion: "v1", kind: "Namespace", metadata: { name: "cluster-fleet-local-local-1a3d67d0a899", labels: { "kubernetes.io/metadata.name": "cluster-fleet-local-local-1a3d67d0a899" } } };

/** The BundleDeployment the controller writes for Bundle `<bundleNamespace>/<name>` on the local cluster. */
export function bundleDeployment(name: string, bundleNamespace: string, spec: Record<string, unknown> = {}): Record<string, any> {
  return {
    apiVersion: "fleet.cattle.io/v1alpha1",
    kind: "BundleDeployment",
    metadata: {
      name,
      labels: {
        "fleet.cattle.io/bundle-name": name,
        "fleet.cattle.io/bundle-namespace": bundleNamespace,
        "fleet.cattle.io/managed": "true",
        "fleet.cattle.io/cluster-namespace": "fleet-local",
        "fleet.cattle.io/cluster": "local",
      },
    },
    spec: { deploymentID: "s-1:abc", options: {}, ...spec },
  };
}

/**
 * The generated cluster of the example lab (or `raw`), built once before the file's tests; the
 * returned function gives it to them. The file must call useRecorder() first.
 */
export function generatedLab(raw: Record<string, unknown> = loadStackConfig()): () => GeneratedCluster {
  let cluster: GeneratedCluster | undefined;
  beforeAll(async () => {
    cluster = new GeneratedCluster(await runLab(raw));
  });
  return () => {
    if (!cluster) throw new Error("the generated lab is built in beforeAll; read it inside a test");
    return cluster;
  };
}

/** Admission of `object` written as a Bundle into `team`'s Fleet workspace by the team's gitjob. */
export function writeBundle(cluster: GeneratedCluster, team: string, object: Record<string, any>): Verdict {
  return cluster.admit(namespacedWrite(gitJob(team), BUNDLE, cluster.namespace(`fleet-team-${team}`), object));
}

/** The plan's policy gate: resources that break the pack make it exit 2, naming policy, resource, team and pool. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlan } from "../../tools/plan/run";
import { EXAMPLE_STACK } from "../harness/fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-policy-gate-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("plan with policy violations", () => {
  it("exits 2 and reports each mandatory violation with its policy and resource", async () => {
    const result = await runPlan({
      stack: "lab",
      configFile: EXAMPLE_STACK,
      outDir: path.join(tmp, "out"),
      entry: path.resolve(__dirname, "../fixtures/tampered-program.ts"),
    });
    expect(result.exitCode).toBe(2);
    const lines = result.violations.map((v) => `${v.enforcementLevel} ${v.policy}: ${v.name} (${v.type}): ${v.message}`);
    expect(lines).toEqual(expect.arrayContaining([
      'mandatory no-pool-overcommit: dst-quota (kubernetes:core/v1:ResourceQuota): team "dst" is promised 300 cores by its ResourceQuota, more than the 248 cores allocatable on its pool "experiments"',
      'mandatory containers-declare-resources: unlimited (kubernetes:apps/v1:Deployment): spec.template.spec.containers[0] "app" declares no requests.cpu, requests.memory, limits.cpu, limits.memory',
      'mandatory images-pinned: unlimited (kubernetes:apps/v1:Deployment): spec.template.spec.containers[0] "app" image "busybox:latest" uses the latest tag',
      'mandatory helm-chart-exact-version: floating (kubernetes:helm.cattle.io/v1:HelmChart): chart "podinfo" version "^6.0" is not an exact version such as 1.15.4',
      'mandatory ingress-requires-auth: open (kubernetes:networking.k8s.io/v1:Ingress): Ingress lab-system/open has no authentication middleware (traefik.ingress.kubernetes.io/router.middlewares: none) and is not labelled <labelDomain>/public: "true"',
      'mandatory no-secrets-in-config: leaky-config (kubernetes:core/v1:ConfigMap): data.adminPassword is a literal credential; put it in a Secret and reference it',
    ]));
    expect(lines).toHaveLength(6);
    expect(fs.readFileSync(path.join(tmp, "out", "summary.md"), "utf8")).toContain("6 mandatory, 0 advisory violation(s)");
  });
});

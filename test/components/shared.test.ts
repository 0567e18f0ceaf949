import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { renderValues } from "../../components/shared/helm-chart";
import { crdEstablished, gateScript, rolledOut } from "../../components/shared/readiness-gate";

describe("HelmChart values", () => {
  it("render as YAML with sorted keys, whatever the insertion order", () => {
    const a = renderValues({ b: 1, a: { d: [1, 2], c: "x" } });
    const b = renderValues({ a: { c: "x", d: [1, 2] }, b: 1 });
    expect(a).toBe(b);
    expect(yaml.load(a)).toEqual({ a: { c: "x", d: [1, 2] }, b: 1 });
  });
});

describe("readiness gate script (run for real by sh)", () => {
  const run = (script: string) => spawnSync("sh", ["-c", script], { encoding: "utf8", timeout: 30_000 });

  it("waits until a condition holds, then passes", async () => {
    const flag = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gate-")), "ready");
    const child = spawn("sh", ["-c", gateScript("t", [{ description: "flag file", command: `test -e ${flag}` }], 20, 1)]);
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(child.exitCode).toBeNull(); // still waiting: the condition does not hold yet
    fs.writeFileSync(flag, "");
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toBe("ready: flag file\n");
  });

  it("fails with a message naming what it waited for", () => {
    const result = run(gateScript("kube-ovn", [{ description: "CRD subnets.kubeovn.io established", command: "false" }], 1, 1));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("readiness gate kube-ovn: timed out after 1s waiting for: CRD subnets.kubeovn.io established");
  });

  it("checks conditions in order and reports each", () => {
    const result = run(gateScript("g", [{ description: "first's quote '", command: "true" }, { description: "second", command: "test 1 = 1" }], 5));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("ready: first's quote '\nready: second\n");
  });

  it("builds kubectl checks for CRDs and rollouts", () => {
    expect(crdEstablished("subnets.kubeovn.io").command).toBe("sudo k3s kubectl wait --for=condition=established --timeout=10s crd/subnets.kubeovn.io");
    expect(rolledOut("daemonset", "kube-system", "ovs-ovn").command).toBe("sudo k3s kubectl -n kube-system rollout status daemonset/ovs-ovn --timeout=10s");
  });
});

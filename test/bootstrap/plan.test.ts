/** The bootstrap layer in `npm run plan` of the example lab, as reviewers see it in resources.json. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanEntry } from "../../tools/plan/bundle";
import { runPlanCli } from "../harness/plan-cli";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "lab-plan-bootstrap-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const NODES = ["node-01", "node-02", "node-03", "node-04", "node-05", "node-06", "metal-01"];
let entries: PlanEntry[];
const byName = (name: string) => {
  const found = entries.filter((e) => e.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0] as PlanEntry & { inputs: any };
};

beforeAll(() => {
  const result = runPlanCli(["--out", out]);
  expect(result.status, result.stderr).toBe(0);
  entries = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8"));
});

describe("npm run plan: the bootstrap of the example lab", () => {
  it("shows one chain per node: wait for SSH, bootstrap, leave", () => {
    expect(entries.filter((e) => e.type === "lab:bootstrap:MetalHost").map((e) => e.name).sort()).toEqual([...NODES].sort());
    for (const node of NODES) {
      const ssh = byName(`${node}-ssh`);
      const bootstrap = byName(`${node}-bootstrap`);
      const leave = byName(`${node}-leave`);
      expect(bootstrap.dependsOn).toContain(ssh.urn);
      expect(leave.dependsOn).toContain(bootstrap.urn);
      expect(bootstrap.inputs.stdin).toContain(`${node}:`);
      expect(leave.inputs.delete).toContain("playbooks/reset.yml");
    }
  });

  it("puts the server before the agents", () => {
    const server = [byName("node-01-ssh").urn, byName("node-01-bootstrap").urn];
    expect(byName("node-01-ssh").dependsOn).toEqual([]);
    for (const agent of NODES.slice(1)) expect(byName(`${agent}-ssh`).dependsOn).toEqual(expect.arrayContaining(server));
  });

  it("shows the key and the token only as [secret], and the kubeconfig never in clear", () => {
    for (const node of NODES) {
      expect(byName(`${node}-bootstrap`).inputs.environment).toBe("[secret]");
      expect(byName(`${node}-leave`).inputs.environment).toBe("[secret]");
      expect(byName(`${node}-ssh`).inputs.connection).toBe("[secret]");
    }
    expect(byName("vaclab-kubeconfig").inputs.connection).toBe("[secret]");
    // A preview cannot know the kubeconfig yet (the first server does not exist); once it does, it is
    // secret (test/bootstrap/components.test.ts runs the same program as `pulumi up`).
    expect(byName("vaclab-k8s").inputs.kubeconfig).toBe("[unknown]");
    const text = fs.readFileSync(path.join(out, "resources.json"), "utf8");
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).not.toContain("k3s_token");
  });
});

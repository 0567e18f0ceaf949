/** The plan as operators and CI run it: a separate process, the committed example, real exit codes. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_STACK } from "../harness/fixtures";
import { runPlanCli } from "../harness/plan-cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeStack(name: string, change: (config: any) => void): string {
  const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
  change(doc.config);
  const file = path.join(tmp, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(doc));
  return file;
}

describe("npm run plan", () => {
  it("plans the example lab, writes the bundle, and says the SSH key is a placeholder", () => {
    const out = path.join(tmp, "example");
    const result = runPlanCli(["--out", out]);
    expect(result.stderr + result.stdout).toContain("planning with a redacted placeholder key");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Plan of stack "lab": \d+ resources/);
    const entries = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8"));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e: { urn: string }) => e.urn)).toEqual([...entries.map((e: { urn: string }) => e.urn)].sort());
    for (const e of entries) expect(Object.keys(e)).toEqual(["urn", "type", "name", "parent", "provider", "dependsOn", "inputs"]);
    expect(fs.readFileSync(path.join(out, "summary.md"), "utf8")).toContain("## Resources per type");
  });

  it("gives byte-identical output for identical input", () => {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    expect(runPlanCli(["--out", a]).status).toBe(0);
    expect(runPlanCli(["--stack", "lab", "--out", b]).status).toBe(0);
    for (const file of ["resources.json", "summary.md"]) {
      expect(fs.readFileSync(path.join(b, file)).equals(fs.readFileSync(path.join(a, file))), file).toBe(true);
    }
  });

  it("exits 1 on invalid config, listing every problem with its path, and writes nothing", () => {
    const file = writeStack("broken", (c) => {
      c["lab:teams"][0].quota.cpu = 300;
      c["lab:nodes"][2].address = "192.0.2.11";
    });
    const out = path.join(tmp, "broken");
    const result = runPlanCli(["--config-file", file, "--out", out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('lab:teams[0].quota.cpu: 300 cores exceed pool "experiments" allocatable capacity of 248 cores');
    expect(result.stderr).toContain("lab:nodes[2].address: duplicate address 192.0.2.11 (also lab:nodes[0])");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("keeps an inline secret SSH key out of the bundle", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nsuper-secret-test-key-material\n-----END OPENSSH PRIVATE KEY-----";
    const file = writeStack("inline", (c) => {
      c["lab:ssh"] = { user: "lab-admin", privateKey: { secure: "v1:AAAA" } };
    });
    const withKey = writeStack("inline-clear", (c) => {
      c["lab:ssh"] = { user: "lab-admin", privateKey: key };
    });
    for (const f of [file, withKey]) {
      const out = path.join(tmp, `out-${path.basename(f)}`);
      const result = runPlanCli(["--config-file", f, "--out", out]);
      expect(result.status, result.stderr).toBe(0);
      const text = fs.readFileSync(path.join(out, "resources.json"), "utf8");
      expect(text).not.toContain("super-secret-test-key-material");
      expect(text).not.toContain("v1:AAAA");
    }
  });

  it("rejects unknown flags and conflicting sources", () => {
    expect(runPlanCli(["--bogus"]).status).toBe(64);
    expect(runPlanCli(["--stack", "lab", "--config-file", EXAMPLE_STACK]).status).toBe(64);
  });
});

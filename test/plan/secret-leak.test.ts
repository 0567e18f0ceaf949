/** The plan's last line of defence: a secret that reaches an input in clear fails the plan (exit 2). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../tools/plan/run";
import { EXAMPLE_STACK } from "../harness/fixtures";

describe("secret leak detection", () => {
  it("redacts a leaked secret and reports it as a mandatory violation", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-leak-"));
    const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
    doc.config["lab:ssh"] = { user: "lab-admin", privateKey: "leaked-key-material-0123456789" };
    const configFile = path.join(tmp, "Pulumi.leak.yaml");
    fs.writeFileSync(configFile, yaml.dump(doc));
    const result = await runPlan({
      stack: "leak",
      configFile,
      outDir: path.join(tmp, "out"),
      entry: path.resolve(__dirname, "../fixtures/leaky-program.ts"),
    });
    expect(result.exitCode, JSON.stringify(result.entries).slice(0, 800)).toBe(2);
    expect(result.violations).toMatchObject([{ policy: "no-secret-in-clear", name: "leaky", enforcementLevel: "mandatory" }]);
    const text = fs.readFileSync(path.join(tmp, "out", "resources.json"), "utf8");
    expect(text).not.toContain("leaked-key-material-0123456789");
    expect(text).toContain("[secret]");
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

/**
 * Hostile stack files through `npm run plan -- --config-file F`, a separate process as operators and
 * CI run it: each exits 1 within 10 s, naming the offending path, without a stack trace, and
 * writes nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLE_STACK, REPO_ROOT } from "../harness/fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-hostile-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function exampleWith(change: (config: any) => void): string {
  const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
  change(doc.config);
  return yaml.dump(doc);
}

let aliasBomb = "config:\n  lab:cluster:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
for (let i = 1; i < 12; i++) aliasBomb += `    a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;

/** Name, file text (undefined: the file does not exist), the path the first problem line must name. */
const CASES: Array<[string, string | undefined, string]> = [
  ["empty", "", "Pulumi.empty.yaml"],
  ["list", "- a\n- b\n", "Pulumi.list.yaml"],
  ["config-hello", "config: hello\n", "Pulumi.config-hello.yaml"],
  ["missing", undefined, "Pulumi.missing.yaml"],
  ["alias-bomb", aliasBomb, "Pulumi.alias-bomb.yaml"],
  ["proto-keys", exampleWith((c) => (c["lab:__proto__"] = { a: 1 })), "lab:__proto__"],
  ["template-url", exampleWith((c) => (c["lab:hosts"] = { k3sInstallScriptUrl: "https://get.k3s.io/{{lookup('pipe','id>/tmp/marker')}}" })), "lab:hosts.k3sInstallScriptUrl"],
  ["dev-zero-key", exampleWith((c) => (c["lab:ssh"].privateKeyPath = "/dev/zero")), "lab:ssh.privateKeyPath"],
];

describe("npm run plan on hostile stack files", () => {
  it.each(CASES)("%s: exit 1 within 10 s, naming the path, no stack trace", (name, text, where) => {
    const file = path.join(tmp, `Pulumi.${name}.yaml`);
    if (text !== undefined) fs.writeFileSync(file, text);
    const out = path.join(tmp, `out-${name}`);
    const started = Date.now();
    const result = spawnSync("npm", ["run", "--silent", "plan", "--", "--config-file", file, "--out", out], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 20_000,
    });
    const seconds = (Date.now() - started) / 1000;
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(1);
    expect(seconds).toBeLessThan(10);
    expect(result.stderr.split("\n")[0]).toMatch(new RegExp(`^(\\S*/)?${where.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+:\\d+)?: `));
    expect(output).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);
  }, 30_000);
});

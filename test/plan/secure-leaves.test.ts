/**
 * Secret config leaves (issue 12, fault 2) and private repos (fault 3) through the whole program:
 * a stack file whose webhook URL, branch, region and SSH user are `secure:` values validates offline,
 * plans, and every resource input that carries one of them is a secret ("[secret]" in the bundle);
 * a private repo's GitRepo names its Secret instead of carrying credentials.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURE_STAND_INS } from "../../config/secure";
import { secretConfigValues } from "../../config/stack";
import { runPlan, type PlanResult } from "../../tools/plan/run";
import { EXAMPLE_STACK } from "../harness/fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-secure-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cipher = (n: number) => ({ secure: `v1:c2VjdXJl${n}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==` });

let result: PlanResult;
let text: string;

beforeAll(async () => {
  const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: any };
  const c = doc.config;
  c["lab:monitoring"].alerting.receivers[0].webhook.url = cipher(1);
  c["lab:monitoring"].backup.s3.region = cipher(2);
  c["lab:teams"][0].repos[0].branch = cipher(3);
  c["lab:teams"][1].repos[0].clientSecretName = "nomos-git-auth";
  c["lab:ssh"].user = cipher(4);
  const file = path.join(tmp, "Pulumi.securelab.yaml");
  fs.writeFileSync(file, yaml.dump(doc));
  result = await runPlan({ stack: "securelab", configFile: file, outDir: path.join(tmp, "out") });
  text = JSON.stringify(result.entries);
}, 120_000);

function entry(type: string, name: string) {
  const found = result.entries.find((e) => e.type === type && e.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found as { inputs: any };
}

describe("secure: leaves", () => {
  it("validate offline with stand-ins their grammar accepts, and the lab plans", () => {
    expect(result.problems).toEqual([]);
    expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it("are secret in every resource input that carries them", () => {
    const gitRepo = entry("kubernetes:fleet.cattle.io/v1alpha1:GitRepo", "dst-gitops-dst-experiments");
    // The SDK marks the whole input property that holds a secret leaf secret.
    expect(gitRepo.inputs.spec).toBe("[secret]");
    expect(gitRepo.inputs.metadata.name).toBe("dst-experiments");
    // Every leaf above took a stand-in containing "secure-standin"; none may show in clear anywhere.
    expect(SECURE_STAND_INS[0]).toBe("secure-standin");
    expect(text.includes("secure-standin")).toBe(false);
    expect(result.violations.filter((v) => v.policy === "no-secret-in-clear")).toEqual([]);
  });

  it("name the Secret of a private repo in the GitRepo (Fleet clientSecretName)", () => {
    const nomos = entry("kubernetes:fleet.cattle.io/v1alpha1:GitRepo", "nomos-gitops-nomos-lab-deployments").inputs.spec;
    expect(nomos).toMatchObject({ repo: "https://git.example.org/nomos/lab-deployments", clientSecretName: "nomos-git-auth" });
    expect(entry("kubernetes:fleet.cattle.io/v1alpha1:GitRepo", "fleet-platform").inputs.spec.clientSecretName).toBeUndefined();
  });

  it("without the stack file, every string leaf of a key the engine marks secret is secret", () => {
    pulumi.runtime.setAllConfig({ "lab:ssh": '{"user":"ops","privateKeyPath":"~/.ssh/k"}', "lab:cluster": '{"name":"x"}' }, ["lab:ssh"]);
    const raw = { "lab:ssh": { user: "ops", privateKeyPath: "~/.ssh/k" }, "lab:cluster": { name: "x" } };
    expect(secretConfigValues(raw, "no-such-stack")).toEqual(["ops", "~/.ssh/k"]);
  });
});

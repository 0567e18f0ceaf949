/** Lease alerts reach the operators and the teams (the experimenters' receiver), checked by the real amtool. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { alertmanagerConfig } from "../../components/monitoring/alertmanager-config";
import { loadLabModel } from "../../config/load";
import { loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveAmtool = requireTools("prometheus-alertmanager", "amtool");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-lease-am-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveAmtool)("lease alert routing (amtool)", () => {
  it("sends LabLeaseStarting and LabLeaseEnding to both the operators and the experimenters", () => {
    const { alerting } = loadLabModel(loadStackConfig(), "lab").monitoring;
    const file = path.join(dir, "am.yml");
    fs.writeFileSync(file, yaml.dump(alertmanagerConfig(alerting)));
    expect(spawnSync("amtool", ["check-config", file], { encoding: "utf8" }).status).toBe(0);
    for (const alert of ["LabLeaseStarting", "LabLeaseEnding"]) {
      const labels = [`alertname=${alert}`, "lease=true", "severity=info", "node=node-04", "pool=lease-nomos", "team=nomos"];
      const result = spawnSync("amtool", ["config", "routes", "test", `--config.file=${file}`, "--verify.receivers=experiments,operators", ...labels], {
        encoding: "utf8",
      });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe("experiments,operators");
    }
    // Other info alerts still go to the operators alone.
    const other = spawnSync("amtool", ["config", "routes", "test", `--config.file=${file}`, "alertname=Other", "severity=info"], { encoding: "utf8" });
    expect(other.stdout.trim()).toBe("operators");
  });
});

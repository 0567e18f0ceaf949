/**
 * The generated Alertmanager configuration, checked by the real amtool (Debian
 * prometheus-alertmanager): it loads, and test alerts reach the intended receivers.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { alertmanagerConfig, receiverSecretNames } from "../../components/monitoring/alertmanager-config";
import { loadLabModel } from "../../config/load";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveAmtool = requireTools("prometheus-alertmanager", "amtool");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-am-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The file as the chart renders it: our config plus the template glob the chart appends. */
function writeConfig(raw: Record<string, unknown>, name: string): string {
  const { alerting } = loadLabModel(raw, "lab").monitoring;
  const file = path.join(dir, `${name}.yml`);
  fs.writeFileSync(file, `${yaml.dump(alertmanagerConfig(alerting))}templates:\n  - "/etc/vm/configs/**/*.tmpl"\n`);
  return file;
}

function amtool(...args: string[]) {
  return spawnSync("amtool", args, { encoding: "utf8", timeout: 30_000 });
}

/** The receivers amtool resolves for a label set. */
function routesTo(file: string, ...labels: string[]): string {
  const result = amtool("config", "routes", "test", `--config.file=${file}`, ...labels);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

const example = loadStackConfig();

describe.skipIf(!haveAmtool)("Alertmanager routing (amtool 0.25)", () => {
  it("passes amtool check-config", () => {
    const result = amtool("check-config", writeConfig(example, "example"));
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("SUCCESS");
    expect(result.stdout).toMatch(/3 receivers/);
  });

  it("routes comparability alerts to the experiments receiver and lab-health alerts to the operators", () => {
    const file = writeConfig(example, "routes");
    expect(routesTo(file, 'alertname=LabClockOffsetHigh', 'comparability=true', 'node=node-02', 'severity=warning')).toBe("experiments");
    expect(routesTo(file, "alertname=KubeNodeNotReady", "severity=critical")).toBe("operators");
    expect(routesTo(file, "alertname=NodeFilesystemAlmostOutOfSpace", "comparability=false")).toBe("operators");
    expect(routesTo(file, "alertname=Watchdog", "severity=none")).toBe("null");
    // A team's own target: the lab-health receiver, grouped per team namespace, never the comparability receiver.
    expect(routesTo(file, "alertname=LabExperimentTargetDown", "tier=experiment", "namespace=dst", "severity=warning")).toBe("operators");
    const routes = (yaml.load(fs.readFileSync(file, "utf8")) as { route: { routes: Array<{ matchers: string[]; group_by?: string[] }> } }).route.routes;
    expect(routes.find((r) => r.matchers.includes('tier="experiment"'))?.group_by).toEqual(["alertname", "cluster", "namespace"]);
    // --verify.receivers fails loudly on a mismatch, so a wrong route cannot pass silently.
    const wrong = amtool("config", "routes", "test", `--config.file=${file}`, "--verify.receivers=operators", "comparability=true");
    expect(wrong.status).toBe(1);
  });

  it("renders every receiver kind amtool accepts, with credentials only as mounted Secret files", () => {
    const raw = withChanges(example, (c) => {
      c["lab:monitoring"].alerting.receivers.push({
        name: "oncall-mail",
        email: { to: "lab-ops@example.org", from: "alerts@example.org", smarthost: "smtp.example.org:587", authUsername: "alerts", authPasswordSecret: { name: "smtp", key: "password" } },
      });
      c["lab:monitoring"].alerting.routes.labHealth = "oncall-mail";
    });
    const file = writeConfig(raw, "email");
    const result = amtool("check-config", file);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(routesTo(file, "alertname=NodeClockNotSynchronising")).toBe("oncall-mail");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("auth_password_file: /etc/vm/secrets/smtp/password");
    expect(text).toContain("api_url_file: /etc/vm/secrets/alert-receivers/slack-api-url");
    expect(text).toContain("credentials_file: /etc/vm/secrets/alert-receivers/experiments-token");
    expect(receiverSecretNames(loadLabModel(raw, "lab").monitoring.alerting)).toEqual(["alert-receivers", "smtp"]);
  });

  it("fails the check when a route names a receiver that does not exist (so the check can fail)", () => {
    const config = alertmanagerConfig(loadLabModel(example, "lab").monitoring.alerting) as any;
    config.route.routes[1].receiver = "nobody";
    const file = path.join(dir, "broken.yml");
    fs.writeFileSync(file, yaml.dump(config));
    expect(amtool("check-config", file).status).not.toBe(0);
  });
});

/**
 * Inhibition with the real Alertmanager (Debian prometheus-alertmanager 0.25) running the generated
 * configuration: a critical alert mutes the warning of the same alert on the same object only, never
 * the same alert on another node, disk or mount.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertmanagerConfig } from "../../components/monitoring/alertmanager-config";
import { loadLabModel } from "../../config/load";
import { freePort } from "../../tools/monitoring/engines";
import { loadStackConfig } from "../harness/fixtures";
import { requireTools } from "../harness/tools";

const haveAlertmanager = requireTools("prometheus-alertmanager", "prometheus-alertmanager");

/** Labels of a node_exporter filesystem alert as the chart's rule gives them (target labels of the node-exporter job). */
function filesystemAlert(node: string, severity: string, mountpoint = "/", device = "/dev/nvme0n1p2"): Record<string, string> {
  return {
    alertname: "NodeFilesystemAlmostOutOfSpace",
    severity,
    cluster: "vaclab",
    namespace: "monitoring",
    job: "node-exporter",
    instance: `${node}:9100`,
    node,
    tier: "infra",
    device,
    fstype: "ext4",
    mountpoint,
  };
}

describe.skipIf(!haveAlertmanager)("inhibition in the real Alertmanager with the generated config", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-inhibit-"));
  let am: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const { alerting } = loadLabModel(loadStackConfig(), "lab").monitoring;
    const config = path.join(dir, "alertmanager.yml");
    fs.writeFileSync(config, yaml.dump(alertmanagerConfig(alerting, dir)));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    am = spawn("prometheus-alertmanager", [`--config.file=${config}`, `--storage.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="], { stdio: "ignore" });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error("alertmanager did not become ready");
      await new Promise((r) => setTimeout(r, 100));
    }
    const startsAt = new Date().toISOString();
    const alerts = [
      filesystemAlert("node-02", "critical"),
      filesystemAlert("node-02", "warning"), // same node, disk and mount: muted
      filesystemAlert("node-03", "warning"), // another node: must stay active
      filesystemAlert("node-02", "warning", "/var/lib/rancher", "/dev/nvme1n1p1"), // same node, another disk: active
    ].map((labels) => ({ labels, startsAt, annotations: { summary: "test" } }));
    const post = await fetch(`${url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
    expect(post.status).toBe(200);
  }, 30_000);

  afterAll(() => {
    am?.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("mutes the warning of the same node, disk and mount only", async () => {
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }>;
    const states = Object.fromEntries(alerts.map((a) => [`${a.labels.node} ${a.labels.mountpoint} ${a.labels.severity}`, a.status.state]));
    expect(states).toEqual({
      "node-02 / critical": "active",
      "node-02 / warning": "suppressed",
      "node-03 / warning": "active",
      "node-02 /var/lib/rancher warning": "active",
    });
  });
});

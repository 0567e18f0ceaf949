/** The restore Job of the documented procedure: the same vmrestore arguments the real round-trip test runs. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { restoreArgs } from "../../components/monitoring/backup-script";
import { restoreJob } from "../../components/monitoring/restore-job";
import { loadLabModel } from "../../config/load";
import { REPO_ROOT, loadStackConfig, withChanges } from "../harness/fixtures";

const model = loadLabModel(loadStackConfig(), "lab");

describe("restore job", () => {
  it("restores one instance's volume from the chosen backup with the tested vmrestore arguments", () => {
    const job = restoreJob(model, { instance: "vmstorage-2", from: "daily/20260512" }) as any;
    const pod = job.spec.template.spec;
    expect(pod.containers[0].image).toBe("victoriametrics/vmrestore:v1.133.0");
    expect(pod.containers[0].args).toEqual(restoreArgs({ url: "s3://vaclab-metrics/victoria-metrics", s3Endpoint: "http://garage.lab.vac.dev:3900", s3ForcePathStyle: true }, "vmstorage-2", "daily/20260512", "/vm-data"));
    expect(pod.containers[0].args[0]).toBe("-src=s3://vaclab-metrics/victoria-metrics/vmstorage-2/daily/20260512");
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: "vmbackup-s3" } }]);
    expect(pod.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "vmstorage-db-vmstorage-vmks-2" } }]);
    const cold = restoreJob(model, { instance: "cold", from: "latest" }) as any;
    expect(cold.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe("vmsingle-vmks-cold");
  });

  it("mounts the NFS export read-only for fs:// targets", () => {
    const fsModel = loadLabModel(withChanges(loadStackConfig(), (c) => (c["lab:monitoring"].backup = { target: "fs:///mnt/vm", nfs: { server: "192.0.2.50", path: "/export/vm" } })), "lab");
    const pod = (restoreJob(fsModel, { instance: "cold", from: "latest" }) as any).spec.template.spec;
    expect(pod.containers[0].args).toEqual(["-src=fs:///mnt/vm/cold/latest", "-storageDataPath=/victoria-metrics-data"]);
    expect(pod.volumes[1]).toEqual({ name: "target", nfs: { server: "192.0.2.50", path: "/export/vm", readOnly: true } });
  });

  it("refuses unknown instances, malformed backups and labs without backups", () => {
    expect(() => restoreJob(model, { instance: "vmstorage-3", from: "latest" })).toThrow('unknown instance "vmstorage-3" (instances: vmstorage-0, vmstorage-1, vmstorage-2, cold)');
    expect(() => restoreJob(model, { instance: "cold", from: "yesterday" })).toThrow('--from must be "latest" or "daily/YYYYMMDD"');
    const none = loadLabModel(withChanges(loadStackConfig(), (c) => delete c["lab:monitoring"].backup), "lab");
    expect(() => restoreJob(none, { instance: "cold", from: "latest" })).toThrow(/backup is not configured/);
  });

  it("is printed by npm run restore-job as YAML for kubectl apply", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tools/restore-job.ts"), "--instance", "cold", "--from", "latest"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(yaml.load(result.stdout)).toEqual(restoreJob(model, { instance: "cold", from: "latest" }));
  });
});

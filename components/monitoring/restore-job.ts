/**
 * The one-off Job of the documented restore procedure: vmrestore from the backup target into the
 * (stopped) instance's volume, on the node that holds it. Printed by `npm run restore-job`.
 */
import type { LabModel } from "../../config/model";
import { restoreArgs, type BackupTarget } from "./backup-script";
import { storageInstances } from "./names";

export interface RestoreJobOptions {
  /** Storage instance id: `vmstorage-<i>` or `cold`. */
  readonly instance: string;
  /** Backup under the instance: `latest` or `daily/YYYYMMDD`. */
  readonly from: string;
}

export function restoreJob(model: LabModel, o: RestoreJobOptions): Record<string, unknown> {
  const m = model.monitoring;
  if (!m.backup) throw new Error("lab:monitoring.backup is not configured: there is nothing to restore from");
  const instances = storageInstances(m.namespace, m.hot.storageNodes);
  const instance = instances.find((i) => i.id === o.instance);
  if (!instance) throw new Error(`unknown instance "${o.instance}" (instances: ${instances.map((i) => i.id).join(", ")})`);
  if (!/^(latest|daily\/\d{8})$/.test(o.from)) throw new Error(`--from must be "latest" or "daily/YYYYMMDD", not "${o.from}"`);
  const backup = m.backup;
  const target: BackupTarget = { url: backup.target.replace(/\/+$/, ""), s3Endpoint: backup.s3?.endpoint, s3ForcePathStyle: backup.s3?.forcePathStyle };
  const fsPath = backup.target.startsWith("fs://") ? backup.target.slice("fs://".length).replace(/\/+$/, "") : undefined;
  const r = m.resources.backup;
  const name = `vmrestore-${instance.id}`;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: m.namespace, labels: { "app.kubernetes.io/name": "vmrestore", "app.kubernetes.io/instance": instance.id } },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: "Never",
          // No node pinning: the scheduler follows the volume (PV node affinity, or Longhorn attaches it here).
          tolerations: [{ operator: "Exists" }],
          containers: [
            {
              name: "vmrestore",
              image: `victoriametrics/vmrestore:${model.versions.victoriaMetrics}`,
              args: restoreArgs(target, instance.id, o.from, instance.dataPath),
              ...(backup.s3 ? { env: [{ name: "AWS_REGION", value: backup.s3.region }], envFrom: [{ secretRef: { name: backup.s3.credentialsSecret } }] } : {}),
              volumeMounts: [{ name: "data", mountPath: instance.dataPath }, ...(fsPath ? [{ name: "target", mountPath: fsPath, readOnly: true }] : [])],
              resources: { requests: { ...r.requests }, limits: { ...r.limits } },
            },
          ],
          volumes: [
            { name: "data", persistentVolumeClaim: { claimName: instance.claimName } },
            ...(fsPath && backup.nfs ? [{ name: "target", nfs: { server: backup.nfs.server, path: backup.nfs.path, readOnly: true } }] : []),
          ],
        },
      },
    },
  };
}

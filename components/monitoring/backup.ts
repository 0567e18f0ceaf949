import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ResourcesConfig } from "../../config/schema/monitoring";
import type { ClusterAccess } from "../shared/cluster-access";
import { backupScript, pruneScriptFs, pruneScriptS3, type BackupTarget } from "./backup-script";
import type { StorageInstance } from "./names";

/** Mount point of the snapshot key in the vmbackup container. */
export const SNAPSHOT_KEY_DIR = "/etc/vm/admin-keys";

export interface MetricsBackupArgs {
  /** `lab:monitoring.backup`: target, hourly minute, daily hour, copies kept, S3 or NFS settings. */
  readonly backup: NonNullable<LabModel["monitoring"]["backup"]>;
  /** Namespace of the storage instances; the CronJobs run there. */
  readonly namespace: string;
  /** What is backed up: every vmstorage replica of the hot tier and the cold VMSingle. */
  readonly instances: readonly StorageInstance[];
  /** Tag of the victoriametrics/vmbackup image; keep it equal to the storage's VictoriaMetrics version. */
  readonly vmbackupVersion: string;
  /** Tag of the amazon/aws-cli image that prunes dated copies on s3:// targets. */
  readonly awsCliVersion: string;
  /** Requests and limits of every backup container. */
  readonly resources: ResourcesConfig;
  /** Secret with the storage instances' admin keys (admin-keys.ts); its `snapshot` key is mounted. */
  readonly snapshotKeySecret: string;
  /** Cluster the CronJobs are created in. */
  readonly access: ClusterAccess;
}

/** Mount point of the NFS export for fs:// targets: the target path itself. */
function fsPath(target: string): string | undefined {
  return target.startsWith("fs://") ? target.slice("fs://".length).replace(/\/+$/, "") : undefined;
}

/**
 * OSS backups of both storage tiers: one CronJob per storage instance runs vmbackup every hour
 * (incremental to `latest`, plus a dated daily copy at the configured hour) and then deletes dated
 * copies beyond `keepDaily`. The job runs on the node of the instance's pod, because it reads the
 * instance's ReadWriteOnce volume; credentials come only from the referenced Secret.
 */
export class MetricsBackup extends pulumi.ComponentResource {
  /** CronJob names, one per storage instance. */
  public readonly cronJobs: string[];

  constructor(name: string, args: MetricsBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:monitoring:MetricsBackup", name, {}, opts);
    const { backup } = args;
    const target: BackupTarget = { url: backup.target.replace(/\/+$/, ""), s3Endpoint: backup.s3?.endpoint, s3ForcePathStyle: backup.s3?.forcePathStyle };
    const mountPath = fsPath(backup.target);
    const vmbackupImage = `victoriametrics/vmbackup:${args.vmbackupVersion}`;
    const resources = { requests: { ...args.resources.requests }, limits: { ...args.resources.limits } };
    const s3Env = backup.s3
      ? { env: [{ name: "AWS_REGION", value: backup.s3.region }], envFrom: [{ secretRef: { name: backup.s3.credentialsSecret } }] }
      : {};
    const targetMount = mountPath ? [{ name: "target", mountPath }] : [];
    const targetVolume = mountPath && backup.nfs ? [{ name: "target", nfs: { server: backup.nfs.server, path: backup.nfs.path } }] : [];

    this.cronJobs = args.instances.map((instance) => {
      const jobName = `vmbackup-${instance.id}`;
      const script = backupScript({
        target,
        instanceId: instance.id,
        dataPath: instance.dataPath,
        snapshotCreateUrl: instance.snapshotCreateUrl,
        snapshotKeyFile: `${SNAPSHOT_KEY_DIR}/snapshot`,
        dailyHourUtc: backup.dailyHourUtc,
        keepDaily: backup.keepDaily,
      });
      const prune = mountPath
        ? { image: vmbackupImage, script: pruneScriptFs(target, instance.id, backup.keepDaily) }
        : { image: `amazon/aws-cli:${args.awsCliVersion}`, script: pruneScriptS3(target, instance.id, backup.keepDaily) };
      new k8s.batch.v1.CronJob(
        jobName,
        {
          metadata: { name: jobName, namespace: args.namespace, labels: { "app.kubernetes.io/name": "vmbackup", "app.kubernetes.io/instance": instance.id } },
          spec: {
            schedule: `${backup.minute} * * * *`,
            timeZone: "Etc/UTC",
            // Never two runs at once: a daily copy must not read `latest` while it changes.
            concurrencyPolicy: "Forbid",
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
              spec: {
                backoffLimit: 1,
                template: {
                  metadata: { labels: { "app.kubernetes.io/name": "vmbackup", "app.kubernetes.io/instance": instance.id } },
                  spec: {
                    restartPolicy: "Never",
                    // The data volume is ReadWriteOnce: run where the instance runs.
                    affinity: {
                      podAffinity: {
                        requiredDuringSchedulingIgnoredDuringExecution: [
                          { labelSelector: { matchLabels: { ...instance.podSelector } }, topologyKey: "kubernetes.io/hostname" },
                        ],
                      },
                    },
                    tolerations: [{ operator: "Exists" }],
                    initContainers: [
                      {
                        name: "vmbackup",
                        image: vmbackupImage,
                        command: ["/bin/sh", "-c", script],
                        ...s3Env,
                        volumeMounts: [
                          { name: "data", mountPath: instance.dataPath, readOnly: true },
                          { name: "snapshot-key", mountPath: SNAPSHOT_KEY_DIR, readOnly: true },
                          ...targetMount,
                        ],
                        resources,
                      },
                    ],
                    containers: [
                      {
                        name: "prune",
                        image: prune.image,
                        command: ["/bin/sh", "-c", prune.script],
                        ...s3Env,
                        volumeMounts: targetMount,
                        resources,
                      },
                    ],
                    volumes: [
                      { name: "data", persistentVolumeClaim: { claimName: instance.claimName, readOnly: true } },
                      // Only the snapshot key of the admin keys' Secret.
                      { name: "snapshot-key", secret: { secretName: args.snapshotKeySecret, items: [{ key: "snapshot", path: "snapshot" }] } },
                      ...targetVolume,
                    ],
                  },
                },
              },
            },
          },
        },
        { parent: this, provider: args.access.provider, dependsOn: args.access.clusterReady },
      );
      return jobName;
    });
    this.registerOutputs({ cronJobs: this.cronJobs });
  }
}

/**
 * `lab:monitoring`: scrape tiers, the hot (raw, weeks) and cold (5m, years) storage tiers, backups,
 * alert receivers and routing, per-job series budgets and resources of the monitoring components.
 */
import { z } from "zod";
import { absolutePath, dnsSubdomain, duration, durationOrZero, hostName, positiveInt, secretKey, url } from "./primitives";

/** VictoriaMetrics `-retentionPeriod`: whole days, weeks or years (a bare number would mean months). */
export const retention = z
  .string()
  .regex(/^[1-9]\d{0,4}(d|w|y)$/, 'must be a whole number of days, weeks or years such as "6w", "400d" or "2y"');

/** A PersistentVolumeClaim size in binary units. */
export const storageSize = z.string().regex(/^[1-9]\d{0,6}(Mi|Gi|Ti)$/, 'must be a size such as "500Gi" or "2Ti"');

/** A Kubernetes resource quantity: cpu ("500m", "2") or memory ("512Mi", "4Gi"). */
export const quantity = z.string().max(24).regex(/^\d{1,12}(\.\d{1,6})?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'must be a Kubernetes quantity such as "500m", "2", "512Mi"');

/** A key of a Secret in the monitoring namespace; the stack never sees the value. */
export const secretRef = z.strictObject({
  /** Secret name (in the monitoring namespace). */
  name: dnsSubdomain,
  /** Key inside the Secret. */
  key: secretKey,
});

const cpuMemory = z.strictObject({ cpu: quantity, memory: quantity });
export const resourcesSchema = z.strictObject({ requests: cpuMemory, limits: cpuMemory });

function resources(requests: [string, string], limits: [string, string]) {
  return resourcesSchema.default({
    requests: { cpu: requests[0], memory: requests[1] },
    limits: { cpu: limits[0], memory: limits[1] },
  });
}

export const scrapeIntervalsSchema = z
  .strictObject({
    /** node_exporter, kubelet/cAdvisor, kube-state-metrics, Kube-OVN. */
    infra: duration.default("30s"),
    /** Baselines (textfile collector) and *_info inventory series. */
    inventory: duration.default("60s"),
    /** Experiment pods in team namespaces. */
    experiment: duration.default("10s"),
  })
  .prefault({});

/** Hot tier: the VMCluster that keeps every scraped sample raw. */
export const hotTierSchema = z
  .strictObject({
    /** Raw retention; week-over-week comparison plus a margin. Default 6w. */
    retention: retention.default("6w"),
    /** Copies of every sample across vmstorage nodes. Default 2. */
    replicationFactor: positiveInt.default(2),
    /** vmstorage replicas. Default 3. */
    storageNodes: positiveInt.default(3),
    /** PVC size per vmstorage replica. Default 200Gi: ~10x the projected need of the example lab (README, Storage sizing). */
    storageSize: storageSize.default("200Gi"),
    /** StorageClass of the vmstorage PVCs. Default: the cluster default class. */
    storageClass: dnsSubdomain.optional(),
    /** vminsert replicas. Default 2. */
    insertReplicas: positiveInt.default(2),
    /** vmselect replicas. Default 2. */
    selectReplicas: positiveInt.default(2),
  })
  .prefault({});

/** Cold tier: a separate VMSingle with the health/comparability allow-list at a coarse resolution. */
export const coldTierSchema = z
  .strictObject({
    /** Retention of the cold tier. Default 2y. */
    retention: retention.default("2y"),
    /** One sample is kept per series and interval (`-dedup.minScrapeInterval`). Default 5m. */
    resolution: duration.default("5m"),
    /** PVC size. Default 20Gi: ~10x the projected need of the example lab. */
    storageSize: storageSize.default("20Gi"),
    /** StorageClass of the PVC. Default: the cluster default class. */
    storageClass: dnsSubdomain.optional(),
  })
  .prefault({});

export const backupSchema = z.strictObject({
  /**
   * Where vmbackup writes: `s3://bucket/prefix` (any S3-compatible store) or `fs:///absolute/path`
   * (an NFS export mounted at that path, see `nfs`).
   */
  target: z
    .string()
    .regex(/^(s3:\/\/[a-z0-9][-a-z0-9.]{1,61}[a-z0-9](\/[-_.a-zA-Z0-9]+)*|fs:\/\/(\/[-_.a-zA-Z0-9]+)+)\/?$/, "must be s3://bucket[/prefix] or fs:///absolute/path")
    // vmbackup joins the path onto the mount point or bucket: a '.' or '..' segment would leave it.
    .refine((s) => !s.replace(/^[a-z0-9]+:\/\/\/?/, "").split("/").some((seg) => seg === "." || seg === ".."), {
      message: "must not contain '.' or '..' segments",
    }),
  /** Minute of every hour at which the incremental backup to `<target>/<instance>/latest` runs. Default 17. */
  minute: z.number().int().min(0).max(59).default(17),
  /** UTC hour whose run also makes the dated copy `<target>/<instance>/daily/YYYYMMDD`. Default 2. */
  dailyHourUtc: z.number().int().min(0).max(23).default(2),
  /** Dated daily copies kept; older ones are deleted by the same job. Default 14. */
  keepDaily: positiveInt.default(14),
  /** S3 settings; required for s3:// targets. */
  s3: z
    .strictObject({
      /** Endpoint of an S3-compatible store (Garage, Ceph RGW); empty for AWS. */
      /** http:// or https://, no user info (the keys come from credentialsSecret). */
      endpoint: url(["http", "https"]).optional(),
      /** Path-style addressing, which most self-hosted stores need. Default true. */
      forcePathStyle: z.boolean().default(true),
      /** Region. Default us-east-1 (self-hosted stores ignore it). */
      region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a region name such as us-east-1").default("us-east-1"),
      /** Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, in the monitoring namespace. */
      credentialsSecret: dnsSubdomain,
    })
    .optional(),
  /** NFS export mounted at the fs:// path; required for fs:// targets. */
  nfs: z
    .strictObject({
      /** IPv4 address or DNS name of the NFS server. */
      server: hostName,
      path: absolutePath,
    })
    .optional(),
});

/** An email address (RFC 5321 addr-spec, ASCII): local part and a DNS domain. */
const emailAddress = z
  .string()
  .max(254)
  // No '{', '}', '|' or '`': Alertmanager renders these fields as Go templates.
  .regex(/^[A-Za-z0-9.!#$%&'*+\/=?^_~-]{1,64}@[a-z0-9.-]+$/, "must be an email address such as ops@example.org")
  .refine((s) => hostName.safeParse(s.slice(s.lastIndexOf("@") + 1)).success, { message: "must have a DNS domain after '@'" });

const receiverName = z.string().max(63, "must be at most 63 characters").regex(/^[a-z0-9][-a-z0-9_]*$/, "must be lower-case letters, digits, '-' or '_'");

export const receiverSchema = z
  .strictObject({
    name: receiverName,
    /** POST the alerts as JSON to a URL; a token, if any, comes from a Secret. */
    webhook: z
      .strictObject({
        /** http:// or https://, no user info (a token comes from bearerTokenSecret). */
        url: url(["http", "https"], "must not carry credentials; use bearerTokenSecret"),
        bearerTokenSecret: secretRef.optional(),
      })
      .optional(),
    /** Slack incoming webhook; its URL is a credential and comes from a Secret. */
    slack: z
      .strictObject({
        apiUrlSecret: secretRef,
        channel: z.string().regex(/^[#@][a-z0-9._-]{1,80}$/, 'must be a channel such as "#lab-alerts" (lower-case letters, digits, ".", "_", "-")'),
      })
      .optional(),
    /** Email through an SMTP relay; the password, if any, comes from a Secret. */
    email: z
      .strictObject({
        to: emailAddress,
        from: emailAddress,
        /** host:port of the SMTP relay. */
        smarthost: z
          .string()
          .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port such as "smtp.example.org:587"')
          .refine((s) => hostName.safeParse(s.split(":")[0]).success && Number(s.split(":")[1]) >= 1 && Number(s.split(":")[1]) <= 65535, {
            message: "must be a DNS name or IPv4 address and a port between 1 and 65535",
          }),
        authUsername: z.string().regex(/^[\x21-\x7e]{1,256}$/, "must be 1 to 256 printable characters without spaces").optional(),
        authPasswordSecret: secretRef.optional(),
        requireTls: z.boolean().default(true),
      })
      .optional(),
  })
  .superRefine((r, ctx) => {
    const kinds = (["webhook", "slack", "email"] as const).filter((k) => r[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: "custom", message: `must set exactly one of webhook, slack, email (has ${kinds.length ? kinds.join(", ") : "none"})` });
    }
  });

export const alertingSchema = z.strictObject(
  {
  /** Where alerts can go. */
  receivers: z.array(receiverSchema).min(1, "must define at least one receiver"),
  /** Which receiver gets which alerts; the two must differ. */
  routes: z.strictObject({
    /** Alerts labelled comparability="true": this week's results may not compare with last week's. */
    comparability: receiverName,
    /** Everything else: the lab's own health (nodes, cluster, CNI, monitoring). */
    labHealth: receiverName,
  }),
  /** Alertmanager grouping timers. Defaults 30s, 5m, 4h. */
  groupWait: durationOrZero.default("30s"),
  groupInterval: duration.default("5m"),
  repeatInterval: duration.default("4h"),
  },
  {
    error: (issue) =>
      issue.input === undefined
        ? "is required: alerts need receivers, one for comparability alerts and one for lab health (see README, Alert routing)"
        : undefined,
  },
);

/** Per-target series budgets: `seriesLimit` per scrape target, `sampleLimit` twice that (a hard stop). */
export const seriesBudgetsSchema = z
  .strictObject({
    nodeExporter: positiveInt.default(3000),
    kubelet: positiveInt.default(2000),
    cadvisor: positiveInt.default(10000),
    kubeStateMetrics: positiveInt.default(50000),
    kubeOvn: positiveInt.default(20000),
    experimentPerTarget: positiveInt.default(5000),
    /**
     * The platform vmagent's `-remoteWrite.maxDailySeries` (platform tiers only: no team series pass
     * through it). Default 2,000,000.
     */
    dailySeries: positiveInt.default(2_000_000),
    /**
     * Unique experiment series per 24h of all teams together, split by cpu quota into each team's own
     * vmagent `-remoteWrite.maxDailySeries` (components/monitoring/team-series-budgets.ts). Default 2,000,000.
     */
    experimentDailySeries: positiveInt.default(2_000_000),
  })
  .prefault({});

export const experimentScrapeSchema = z
  .strictObject({
    /** Container port name that opts a pod into the experiment scrape. Default "metrics". */
    portName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(15).default("metrics"),
    /** Metrics path. Default /metrics. */
    path: z.string().regex(/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)+$/, "must be an absolute URL path such as /metrics").max(1024).default("/metrics"),
    /** Pod label whose value becomes the `experiment_id` label. Default `<labelDomain>/experiment`. */
    experimentLabel: z
      .string()
      .regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "must be a label key: [prefix/]name, name at most 63 characters")
      .optional(),
  })
  .prefault({});

export const monitoringResourcesSchema = z
  .strictObject({
    operator: resources(["500m", "512Mi"], ["2", "2Gi"]),
    vmagent: resources(["4", "4Gi"], ["16", "16Gi"]),
    /** Each team's experiment vmagent. */
    teamVmagent: resources(["250m", "512Mi"], ["2", "2Gi"]),
    vminsert: resources(["4", "4Gi"], ["8", "8Gi"]),
    vmselect: resources(["4", "8Gi"], ["8", "16Gi"]),
    vmstorage: resources(["2", "2Gi"], ["8", "8Gi"]),
    coldStorage: resources(["1", "2Gi"], ["4", "8Gi"]),
    vmalert: resources(["500m", "512Mi"], ["2", "2Gi"]),
    alertmanager: resources(["250m", "256Mi"], ["1", "512Mi"]),
    grafana: resources(["250m", "512Mi"], ["2", "2Gi"]),
    grafanaSidecar: resources(["50m", "64Mi"], ["500m", "256Mi"]),
    kubeStateMetrics: resources(["500m", "512Mi"], ["1", "2Gi"]),
    nodeExporter: resources(["100m", "128Mi"], ["1", "1Gi"]),
    backup: resources(["500m", "512Mi"], ["2", "2Gi"]),
  })
  .prefault({});

/** Required: alert receivers have no sensible default (alerts must never go to a blackhole only). */
export const monitoringSchema = z
  .strictObject({
    scrapeIntervals: scrapeIntervalsSchema,
    hot: hotTierSchema,
    cold: coldTierSchema,
    /** vmbackup of both tiers. Optional: without it nothing is backed up. */
    backup: backupSchema.optional(),
    alerting: alertingSchema,
    seriesBudgets: seriesBudgetsSchema,
    experiment: experimentScrapeSchema,
    resources: monitoringResourcesSchema,
  });

export type ResourcesConfig = z.output<typeof resourcesSchema>;
export type ReceiverConfig = z.output<typeof receiverSchema>;
export type SecretRefConfig = z.output<typeof secretRef>;

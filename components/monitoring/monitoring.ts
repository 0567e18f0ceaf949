import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { helmChart } from "../shared/helm-chart";
import { ReadinessGate, crdEstablished } from "../shared/readiness-gate";
import { ADMIN_KEYS_SECRET, AdminKeys, adminKeySpec } from "./admin-keys";
import { MetricsBackup } from "./backup";
import { COLD_NAME, STACK_NAME, stackUrls, storageInstances, type StackUrls } from "./names";
import { MonitoringNetworkPolicies } from "./network-policies";
import { scrapeJobs } from "./scrape-jobs";
import { VM_OPERATOR_API, scrapeObjectSpec } from "./scrape-objects";
import { stackValues } from "./stack-values";
import { TeamVmagents, scrapeTeamLabel } from "./team-vmagents";

export interface MonitoringArgs {
  /** The lab; reads `monitoring` (tiers, storage, backup, alerting, budgets), `teams` (experiment namespaces), `cluster.name` and `versions`. */
  readonly model: LabModel;
  /** Cluster the stack is installed into, and the server where readiness gates run. */
  readonly access: ClusterAccess;
}

/** CRDs the stack's own custom resources need, installed by the chart's operator. */
export const OPERATOR_CRDS = ["vmnodescrapes", "vmservicescrapes", "vmpodscrapes", "vmsingles", "vmrules"].map((k) => `${k}.operator.victoriametrics.com`);

/**
 * The lab's monitoring: victoria-metrics-k8s-stack (vmagent, hot VMCluster, vmalert, Alertmanager,
 * Grafana, node_exporter, kube-state-metrics), the scrape objects of the three tiers with their
 * allow-lists, the cold VMSingle fed by vmagent's second remote write, and the backup CronJobs.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** Namespace of the stack; team NetworkPolicies allow scrapes from it. */
  public readonly namespace: string;
  /** In-cluster URLs of the hot and cold tiers (write and Prometheus-API read). */
  public readonly urls: StackUrls;
  /** Names of the scrape objects, one per job. */
  public readonly scrapeObjects: string[];
  /** Passes once the operator's CRDs exist; other layers' VM custom resources (VMRule) depend on it. */
  public readonly crdGate: ReadinessGate;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:monitoring:Monitoring", name, {}, opts);
    const { model, access } = args;
    const m = model.monitoring;
    const k8sOpts = { parent: this, provider: access.provider };
    this.namespace = m.namespace;
    this.urls = stackUrls(m.namespace);

    const namespace = new k8s.core.v1.Namespace(
      m.namespace,
      {
        metadata: {
          name: m.namespace,
          // node_exporter needs the host's network, PID namespace and root filesystem.
          labels: { "app.kubernetes.io/managed-by": "pulumi", "pod-security.kubernetes.io/enforce": "privileged" },
        },
      },
      { ...k8sOpts, dependsOn: access.clusterReady },
    );

    new MonitoringNetworkPolicies("monitoring-ingress", { namespace: m.namespace, access }, { parent: this, dependsOn: [namespace] });
    // Before the chart: the storage pods mount the keys' Secret.
    const adminKeys = new AdminKeys("admin-keys", { namespace: m.namespace, access }, { parent: this, dependsOn: [namespace] });

    const values = stackValues(model, { textfileDir: model.hosts.textfileDir });
    const chart = helmChart(
      STACK_NAME,
      {
        chart: "victoria-metrics-k8s-stack",
        repo: "https://victoriametrics.github.io/helm-charts/",
        version: model.versions.victoriaMetricsK8sStack,
        targetNamespace: m.namespace,
        createNamespace: false,
        values,
      },
      { ...k8sOpts, dependsOn: [namespace, adminKeys] },
    );

    const gate = new ReadinessGate(
      `${STACK_NAME}-crds`,
      { connection: access.gateConnection, checks: OPERATOR_CRDS.map(crdEstablished), triggers: [model.versions.victoriaMetricsK8sStack] },
      { parent: this, dependsOn: [chart] },
    );
    this.crdGate = gate;
    const afterCrds = { ...k8sOpts, dependsOn: [gate] };

    const jobs = scrapeJobs(model);
    this.scrapeObjects = jobs.map((job) => {
      new k8s.apiextensions.CustomResource(
        `scrape-${job.name}`,
        {
          apiVersion: VM_OPERATOR_API,
          kind: job.kind,
          metadata: {
            name: job.name,
            namespace: m.namespace,
            labels: {
              "app.kubernetes.io/managed-by": "pulumi",
              [`${model.cluster.labelDomain}/scrape-tier`]: job.tier,
              ...(job.team ? { [scrapeTeamLabel(model.cluster.labelDomain)]: job.team } : {}),
            },
          },
          spec: scrapeObjectSpec(job),
        },
        afterCrds,
      );
      return job.name;
    });

    new TeamVmagents("team-vmagents", { model, hotWrite: this.urls.hotWrite, access }, { parent: this, dependsOn: [gate] });

    const r = m.resources.coldStorage;
    new k8s.apiextensions.CustomResource(
      COLD_NAME,
      {
        apiVersion: VM_OPERATOR_API,
        kind: "VMSingle",
        metadata: { name: COLD_NAME, namespace: m.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
        spec: {
          image: { repository: "victoriametrics/victoria-metrics", tag: model.versions.victoriaMetrics },
          retentionPeriod: m.cold.retention,
          // OSS "downsampling": one sample per series and interval survives background merges.
          // Admin APIs (delete, snapshots, merges) only with the generated keys (admin-keys.ts).
          secrets: [ADMIN_KEYS_SECRET],
          extraArgs: { "dedup.minScrapeInterval": m.cold.resolution, ...adminKeySpec("vmsingle").extraArgs },
          storage: {
            accessModes: ["ReadWriteOnce"],
            ...(m.cold.storageClass ? { storageClassName: m.cold.storageClass } : {}),
            resources: { requests: { storage: m.cold.storageSize } },
          },
          resources: { requests: { ...r.requests }, limits: { ...r.limits } },
        },
      },
      afterCrds,
    );

    if (m.backup) {
      new MetricsBackup(
        "vmbackup",
        {
          backup: m.backup,
          namespace: m.namespace,
          instances: storageInstances(m.namespace, m.hot.storageNodes),
          vmbackupVersion: model.versions.victoriaMetrics,
          awsCliVersion: model.versions.awsCli,
          resources: m.resources.backup,
          snapshotKeySecret: ADMIN_KEYS_SECRET,
          access,
        },
        { parent: this },
      );
    }

    this.registerOutputs({ namespace: this.namespace, urls: this.urls, scrapeObjects: this.scrapeObjects });
  }
}

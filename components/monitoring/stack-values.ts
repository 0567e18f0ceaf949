/**
 * Values for victoria-metrics-k8s-stack 0.67.0, generated from the model. Every key was checked
 * against the chart's values.yaml and templates at tag victoria-metrics-k8s-stack-0.67.0 (and its
 * subcharts: victoria-metrics-operator 0.57.1, prometheus-node-exporter 4.49.2, kube-state-metrics
 * 6.4.2, grafana 10.1.5). The scrape objects the chart would create for node-exporter, KSM and the
 * kubelet are off: the stack creates its own, tiered and allow-listed (scrape-objects.ts).
 */
import type { LabModel } from "../../config/model";
import type { ResourcesConfig } from "../../config/schema/monitoring";
import { adminKeySpec } from "./admin-keys";
import { alertmanagerConfig, receiverSecretNames } from "./alertmanager-config";
import { DISABLED_DASHBOARDS, DISABLED_RULE_GROUPS } from "./chart-defaults";
import { ALLOW_LISTS, coldRelabelConfigs, seriesPattern } from "./metrics";
import { COLD_DATASOURCE_UID, HOT_DATASOURCE_UID, STACK_NAME, VMSTORAGE_DATA_PATH, stackUrls } from "./names";
import { leaseAnnotationKeys, leaseLabelKeys } from "../../config/leases/state";
import { nodeExporterArgs } from "./node-exporter";
import { scrapeTeamLabel, vmagentFlags } from "./team-vmagents";
import { alertmanagerOwnSelectors, operatorIsolationValues, vmagentOwnSelectors, vmalertOwnSelectors } from "./own-objects-only";

export interface StackValuesOptions {
  /** Host directory of the node_exporter textfile collector. */
  readonly textfileDir: string;
}

function storageClass(name: string | undefined): Record<string, string> {
  return name ? { storageClassName: name } : {};
}

function resources(r: ResourcesConfig): ResourcesConfig {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

export function stackValues(model: LabModel, options: StackValuesOptions): Record<string, unknown> {
  const m = model.monitoring;
  const r = m.resources;
  const urls = stackUrls(m.namespace);
  return {
    fullnameOverride: STACK_NAME,
    global: { clusterLabel: "cluster" },
    "victoria-metrics-operator": { enabled: true, resources: resources(r.operator), ...operatorIsolationValues() },

    vmsingle: { enabled: false },
    vmcluster: {
      enabled: true,
      spec: {
        retentionPeriod: m.hot.retention,
        replicationFactor: m.hot.replicationFactor,
        vmstorage: {
          replicaCount: m.hot.storageNodes,
          storageDataPath: VMSTORAGE_DATA_PATH,
          storage: {
            volumeClaimTemplate: {
              spec: { ...storageClass(m.hot.storageClass), resources: { requests: { storage: m.hot.storageSize } } },
            },
          },
          resources: resources(r.vmstorage),
          // Snapshots, force merge/flush, pprof: only with the generated key (admin-keys.ts).
          ...adminKeySpec("vmstorage"),
        },
        // Deletion, cache resets, pprof: only with the generated key (admin-keys.ts).
        vmselect: { replicaCount: m.hot.selectReplicas, resources: resources(r.vmselect), ...adminKeySpec("vmselect") },
        vminsert: { replicaCount: m.hot.insertReplicas, resources: resources(r.vminsert) },
      },
    },

    vmagent: {
      enabled: true,
      // Appended before the chart's own hot-tier write (0.67.0: setting spec.remoteWrite would replace it).
      additionalRemoteWrites: [{ url: urls.coldWrite, inlineUrlRelabelConfig: coldRelabelConfigs() }],
      spec: {
        scrapeInterval: m.scrapeIntervals.infra,
        // Platform scrapes only: the teams' experiment scrapes run in their own vmagents (team-vmagents.ts).
        ...vmagentOwnSelectors(m.namespace, scrapeTeamLabel(model.cluster.labelDomain)),
        externalLabels: { cluster: model.cluster.name },
        // Stream parsing off (team-vmagents.ts vmagentFlags says why); the daily budget counts
        // platform series only, so no team can use it up.
        extraArgs: vmagentFlags(m.seriesBudgets.dailySeries),
        resources: resources(r.vmagent),
      },
    },
    vmalert: {
      enabled: true,
      // Recording rules go through vmagent, so the lab-health ones also reach the cold tier.
      remoteWriteVMAgent: true,
      spec: { evaluationInterval: m.scrapeIntervals.infra, resources: resources(r.vmalert), ...vmalertOwnSelectors(m.namespace) },
    },
    alertmanager: {
      enabled: true,
      useManagedConfig: false,
      config: alertmanagerConfig(m.alerting),
      spec: { secrets: receiverSecretNames(m.alerting), resources: resources(r.alertmanager), ...alertmanagerOwnSelectors(m.namespace) },
    },

    defaultDatasources: {
      victoriametrics: {
        datasources: [
          // Grafana's $__rate_interval is only right when this equals the real scrape interval.
          { name: "VictoriaMetrics", uid: HOT_DATASOURCE_UID, type: "prometheus", access: "proxy", isDefault: true, jsonData: { timeInterval: m.scrapeIntervals.infra } },
        ],
      },
      extra: [
        { name: "VictoriaMetrics (cold)", uid: COLD_DATASOURCE_UID, type: "prometheus", access: "proxy", isDefault: false, url: urls.coldRead, jsonData: { timeInterval: m.cold.resolution } },
      ],
    },
    grafana: {
      enabled: true,
      // The chart's own scrape of Grafana (templates/servicemonitors.yaml), with redirects off like
      // every scrape of the stack; the port is the chart's default value (values.yaml L1137).
      vmScrape: { enabled: true, spec: { endpoints: [{ port: "{{ .Values.grafana.service.portName }}", follow_redirects: false }] } },
      resources: resources(r.grafana),
      sidecar: { resources: resources(r.grafanaSidecar) },
    },
    defaultDashboards: {
      enabled: true,
      dashboards: Object.fromEntries(Object.keys(DISABLED_DASHBOARDS).map((d) => [d, { enabled: false }])),
    },
    defaultRules: {
      create: true,
      groups: Object.fromEntries(Object.keys(DISABLED_RULE_GROUPS).map((g) => [g, { create: false }])),
    },

    "prometheus-node-exporter": {
      enabled: true,
      extraArgs: nodeExporterArgs(options.textfileDir),
      extraHostVolumeMounts: [
        { name: "textfile", hostPath: options.textfileDir, type: "DirectoryOrCreate", mountPath: options.textfileDir, readOnly: true },
      ],
      resources: resources(r.nodeExporter),
      vmScrape: { enabled: false },
    },
    "kube-state-metrics": {
      enabled: true,
      // Filtered at the exporter too: KSM never builds the families nobody reads.
      metricAllowlist: ALLOW_LISTS["kube-state-metrics"].map(seriesPattern).sort(),
      // kube_node_labels carries only allow-listed labels; the health gates join nodes to pools on this one.
      // The lease keys (config/leases/state.ts) tell who holds a node and until when (kube-state-metrics
      // chart values.yaml: metricLabelsAllowlist / metricAnnotationsAllowList, `resource=[keys]`).
      metricLabelsAllowlist: [`nodes=[${[model.cluster.poolLabel, ...leaseLabelKeys(model.cluster.labelDomain)].join(",")}]`],
      metricAnnotationsAllowList: [`nodes=[${leaseAnnotationKeys(model.cluster.labelDomain).join(",")}]`],
      resources: resources(r.kubeStateMetrics),
      vmScrape: { enabled: false },
    },
    kubelet: {
      // Stays enabled: the chart's kubelet rule groups and dashboards depend on it. Its scrape objects
      // are removed (null deletes the chart's vmScrapes map), the stack's own replace them.
      enabled: true,
      vmScrapes: null,
      vmScrape: { enabled: false },
    },
    // k3s runs these inside one process without their metrics endpoints; today's lab scrapes none of them.
    kubeApiServer: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    coreDns: { enabled: false },
    kubeDns: { enabled: false },
  };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { CalibrationJobs } from "./calibration/calibration-jobs";
import { healthContext } from "./context";
import { labDashboards } from "./dashboards";
import { DASHBOARD_LABEL } from "./dashboards/build";
import { leaseRuleGroup } from "./lease-rules";
import { ruleGroups } from "./rules";

export interface LabHealthArgs {
  /** The lab model; thresholds and calibration come from `health`, pools and teams from the rest. */
  readonly model: LabModel;
  /** Kubernetes access from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** Namespace of the monitoring stack, where VMRules and dashboard ConfigMaps go. Defaults to the model's monitoring namespace (`lab:network.monitoringNamespace`). */
  readonly namespace?: string;
  /**
   * What the VMRules and dashboards wait for: the monitoring layer's readiness gate for the
   * VictoriaMetrics operator CRDs (VMRule needs `operator.victoriametrics.com/v1beta1`). Defaults to none.
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Annotation the Grafana dashboard sidecar takes the folder from (`sidecar.dashboards.folderAnnotation`). Defaults to "grafana_folder". */
  readonly dashboardFolderAnnotation?: string;
  /** Grafana folder of the dashboards. Defaults to "Lab health". */
  readonly dashboardFolder?: string;
  /** node_exporter's textfile collector directory on every node. Defaults to `lab:hosts.textfileDir`, which the bootstrap layer creates. */
  readonly textfileDirectory?: string;
}

/**
 * Lab health: the comparability gates, baselines and alerts as VMRules, the Grafana dashboards as
 * sidecar-provisioned ConfigMaps, and the nightly calibration jobs that feed the baselines.
 */
export class LabHealth extends pulumi.ComponentResource {
  /** Names of the VMRule objects (one per rule group). */
  public readonly ruleGroups: string[];
  /** Grafana uids of the dashboards. */
  public readonly dashboards: string[];
  /** Namespace of the calibration jobs ("" when calibration is disabled). */
  public readonly calibrationNamespace: string;

  constructor(name: string, args: LabHealthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:health:LabHealth", name, {}, opts);
    const { model, access } = args;
    const namespace = args.namespace ?? model.monitoring.namespace;
    const ctx = healthContext(model, namespace);
    const labels = { "app.kubernetes.io/part-of": "lab-health", "app.kubernetes.io/managed-by": "pulumi" };
    const monitoringObject = { parent: this, provider: access.provider, dependsOn: [...access.clusterReady, ...(args.dependsOn ?? [])] };

    this.ruleGroups = [...ruleGroups(ctx), leaseRuleGroup(model)].map((group) => {
      new k8s.apiextensions.CustomResource(
        `${name}-${group.name}`,
        {
          apiVersion: "operator.victoriametrics.com/v1beta1",
          kind: "VMRule",
          metadata: { name: group.name, namespace, labels },
          spec: { groups: [group] },
        },
        monitoringObject,
      );
      return group.name;
    });

    const folderAnnotation = args.dashboardFolderAnnotation ?? "grafana_folder";
    this.dashboards = labDashboards(ctx).map((dashboard) => {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${dashboard.uid}`,
        {
          metadata: {
            name: `dashboard-${dashboard.uid}`,
            namespace,
            labels: { ...labels, [DASHBOARD_LABEL]: "1" },
            annotations: { [folderAnnotation]: args.dashboardFolder ?? "Lab health" },
          },
          data: { [`${dashboard.uid}.json`]: `${JSON.stringify(dashboard, null, 2)}\n` },
        },
        monitoringObject,
      );
      return dashboard.uid;
    });

    const calibration = model.health.calibration.enabled
      ? new CalibrationJobs(`${name}-calibration`, { model, access, textfileDirectory: args.textfileDirectory }, { parent: this })
      : undefined;
    this.calibrationNamespace = calibration?.namespace ?? "";
    this.registerOutputs({ ruleGroups: this.ruleGroups, dashboards: this.dashboards, calibrationNamespace: this.calibrationNamespace });
  }
}

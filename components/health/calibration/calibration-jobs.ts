import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { calibrationPools } from "../../../config/health";
import type { LabModel } from "../../../config/model";
import type { ClusterAccess } from "../../shared/cluster-access";
import {
  CALIBRATION_LABELS,
  CALIBRATION_SCRIPTS_CONFIGMAP,
  CALIBRATION_SERVICE_ACCOUNT,
  calibrationNodes,
  calibrationScriptsData,
  cronJobName,
  cronJobSpec,
  iperfServerSpec,
} from "./jobs";

export interface CalibrationJobsArgs {
  /** The lab model; `health.calibration` says which pools, when, and with which images. */
  readonly model: LabModel;
  /** Kubernetes access from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** node_exporter's textfile collector directory on every node. Defaults to `lab:hosts.textfileDir`. */
  readonly textfileDirectory?: string;
}

/**
 * Nightly calibration of the experiment pools: a namespace with a read-only pod lister, the step
 * scripts in one ConfigMap, an iperf3 server on every calibrated node, and one CronJob per node that benchmarks network, disk, CPU and
 * memory bandwidth inside the configured window, skipping nodes that run team pods.
 */
export class CalibrationJobs extends pulumi.ComponentResource {
  /** Namespace of the calibration jobs. */
  public readonly namespace: string;
  /** Names of the per-node CronJobs. */
  public readonly cronJobs: string[];

  constructor(name: string, args: CalibrationJobsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:health:CalibrationJobs", name, {}, opts);
    const { model, access } = args;
    const namespace = model.health.calibration.namespace;
    const textfileDirectory = args.textfileDirectory ?? model.hosts.textfileDir;
    const child = { parent: this, provider: access.provider, dependsOn: access.clusterReady };

    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: namespace,
          // Host network and host paths (textfile directory, scratch disk) need the privileged level.
          labels: { ...CALIBRATION_LABELS, "pod-security.kubernetes.io/enforce": "privileged" },
        },
      },
      child,
    );
    const inNamespace = { ...child, dependsOn: [ns] };
    const metadata = (resource: string) => ({ name: resource, namespace, labels: CALIBRATION_LABELS });

    new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: metadata(CALIBRATION_SERVICE_ACCOUNT) }, inNamespace);
    // Read-only: the check lists pods on a node to see whether a team experiment runs there.
    const role = new k8s.rbac.v1.ClusterRole(
      `${name}-pod-reader`,
      { metadata: { name: "lab-calibration-pod-reader", labels: CALIBRATION_LABELS }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] },
      child,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-pod-reader`,
      {
        metadata: { name: "lab-calibration-pod-reader", labels: CALIBRATION_LABELS },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "lab-calibration-pod-reader" },
        subjects: [{ kind: "ServiceAccount", name: CALIBRATION_SERVICE_ACCOUNT, namespace }],
      },
      { ...child, dependsOn: [ns, role] },
    );

    const pools = calibrationPools(model.health.calibration, model.nodes, model.teams);
    new k8s.apps.v1.DaemonSet(`${name}-iperf3-server`, { metadata: metadata("iperf3-server"), spec: iperfServerSpec(model, pools) }, inNamespace);

    const scripts = new k8s.core.v1.ConfigMap(`${name}-scripts`, { metadata: metadata(CALIBRATION_SCRIPTS_CONFIGMAP), data: calibrationScriptsData() }, inNamespace);

    this.namespace = namespace;
    this.cronJobs = calibrationNodes(model).map((node) => {
      const jobName = cronJobName(node.name);
      new k8s.batch.v1.CronJob(`${name}-${jobName}`, { metadata: metadata(jobName), spec: cronJobSpec(model, node, textfileDirectory) }, { ...inNamespace, dependsOn: [ns, scripts] });
      return jobName;
    });
    this.registerOutputs({ namespace: this.namespace, cronJobs: this.cronJobs });
  }
}

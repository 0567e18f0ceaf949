import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { helmChart } from "../shared/helm-chart";
import { crdEstablished, ReadinessGate, rolledOut } from "../shared/readiness-gate";
import {
  BANDWIDTH_CRD,
  BANDWIDTH_OPERATOR_DEPLOYMENT,
  BANDWIDTH_OPERATOR_NAMESPACE,
  bandwidthObjects,
  bandwidthOperatorValues,
  SCHEDULER_CONTROLLER_NAME,
  SCHEDULER_NAME,
  SCHEDULER_NAMESPACE,
  VACLAB_CHARTS_REPO,
  vaclabSchedulerValues,
} from "./bandwidth-values";

export interface BandwidthSchedulingArgs {
  /** Nodes (NIC line rates), bandwidth settings and chart versions. */
  readonly model: LabModel;
  /** Provider and gate connection from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** Kube-OVN's readiness gate: the operator and scheduler need a pod network. */
  readonly kubeOvnReady: pulumi.Input<pulumi.Resource>;
}

/**
 * Bandwidth as a schedulable resource: the vaclab bandwidth operator keeps per-node accounts in
 * `Bandwidth` objects, the `vaclab-scheduler` second scheduler places pods against them, and Kube-OVN
 * enforces each pod's QoS annotations. One Bandwidth object per node carries its capacity from
 * `nic.gbps`.
 */
export class BandwidthScheduling extends pulumi.ComponentResource {
  /** Scheduler name pods set in `spec.schedulerName` to be placed by bandwidth. */
  public readonly schedulerName: string;
  /** Capacity (Mbit/s, physical NIC) per node. */
  public readonly capacities: Record<string, number>;

  constructor(name: string, args: BandwidthSchedulingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:network:BandwidthScheduling", name, {}, opts);
    const { model, access } = args;
    const k8sOpts = { parent: this, provider: access.provider, dependsOn: [args.kubeOvnReady] };

    const operator = helmChart(
      "vaclab-bandwidth-operator",
      {
        chart: "vaclab-bandwidth-operator",
        repo: VACLAB_CHARTS_REPO,
        version: model.versions.bandwidthOperator,
        targetNamespace: BANDWIDTH_OPERATOR_NAMESPACE,
        values: bandwidthOperatorValues(model),
      },
      k8sOpts,
    );
    const scheduler = helmChart(
      "vaclab-scheduler",
      {
        chart: "vaclab-scheduler",
        repo: VACLAB_CHARTS_REPO,
        version: model.versions.vaclabScheduler,
        targetNamespace: SCHEDULER_NAMESPACE,
        createNamespace: false,
        values: vaclabSchedulerValues(model),
      },
      k8sOpts,
    );

    const ready = new ReadinessGate(
      `${name}-ready`,
      {
        connection: access.gateConnection,
        checks: [
          crdEstablished(BANDWIDTH_CRD),
          rolledOut("deployment", BANDWIDTH_OPERATOR_NAMESPACE, BANDWIDTH_OPERATOR_DEPLOYMENT),
          rolledOut("deployment", SCHEDULER_NAMESPACE, SCHEDULER_NAME),
          rolledOut("deployment", SCHEDULER_NAMESPACE, SCHEDULER_CONTROLLER_NAME),
        ],
        triggers: [model.versions.bandwidthOperator, model.versions.vaclabScheduler],
      },
      { parent: this, dependsOn: [operator, scheduler] },
    );

    const objects = bandwidthObjects(model);
    for (const bw of objects) {
      new k8s.apiextensions.CustomResource(
        `${name}-${bw.name}`,
        {
          apiVersion: "networking.vaclab.org/v1",
          kind: "Bandwidth",
          metadata: {
            name: bw.name,
            // The operator creates an object per node at start (with flag defaults) and rewrites it;
            // force our server-side-applied capacity over its field ownership.
            annotations: { "pulumi.com/patchForce": "true" },
          },
          spec: bw.spec,
        },
        { parent: this, provider: access.provider, dependsOn: [ready] },
      );
    }

    this.schedulerName = SCHEDULER_NAME;
    this.capacities = Object.fromEntries(objects.map((bw) => [bw.name, bw.spec.capacity.network.ulMbps]));
    this.registerOutputs({ schedulerName: this.schedulerName, capacities: this.capacities });
  }
}

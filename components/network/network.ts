import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { BandwidthScheduling } from "./bandwidth-scheduling";
import { KubeOvn } from "./kube-ovn";
import { Subnet } from "./subnet";
import { monitoringSubnetSpec, teamSubnetSpec } from "./subnets";

export interface NetworkArgs {
  /** The lab model; the network layer reads cluster, nodes, teams, network and versions. */
  readonly model: LabModel;
  /** Provider, gate connection and cluster readiness from the bootstrap layer. */
  readonly access: ClusterAccess;
}

/**
 * The network layer: Kube-OVN as the CNI, the platform monitoring subnet, one private subnet per
 * team with a `subnet`, and (behind `lab:network.bandwidth.enabled`) bandwidth-aware scheduling.
 */
export class Network extends pulumi.ComponentResource {
  /** Depend on this for anything that needs pod networking or Kube-OVN CRDs. */
  public readonly ready: pulumi.Resource;
  /** Team subnet objects by team name; team workloads should start after theirs. */
  public readonly teamSubnets: Record<string, pulumi.Resource>;
  /** The monitoring namespace's subnet, when configured; monitoring pods should start after it. */
  public readonly monitoringSubnet?: pulumi.Resource;
  /** Set when bandwidth scheduling is enabled. */
  public readonly bandwidth?: BandwidthScheduling;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:network:Network", name, {}, opts);
    const { model, access } = args;
    const kubeOvn = new KubeOvn("kube-ovn", { model, access }, { parent: this });
    this.ready = kubeOvn.ready;

    const monitoring = monitoringSubnetSpec(model);
    if (monitoring) {
      this.monitoringSubnet = new Subnet(monitoring.name, { subnet: monitoring, access, kubeOvnReady: kubeOvn.ready }, { parent: this }).resource;
    }
    this.teamSubnets = {};
    for (const team of model.teams.filter((t) => t.subnet)) {
      const subnet = teamSubnetSpec(model, team);
      this.teamSubnets[team.name] = new Subnet(subnet.name, { subnet, access, kubeOvnReady: kubeOvn.ready }, { parent: this }).resource;
    }

    if (model.network.bandwidth.enabled) {
      this.bandwidth = new BandwidthScheduling("bandwidth", { model, access, kubeOvnReady: kubeOvn.ready }, { parent: this });
    }
    this.registerOutputs({});
  }
}

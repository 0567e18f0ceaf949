import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../shared/cluster-access";
import type { SubnetSpec } from "./subnets";

export interface SubnetArgs {
  /** Name and spec of the Kube-OVN Subnet (see subnets.ts). */
  readonly subnet: SubnetSpec;
  /** Provider from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** Kube-OVN's readiness gate: the Subnet CRD must be established first. */
  readonly kubeOvnReady: pulumi.Input<pulumi.Resource>;
}

/**
 * One Kube-OVN Subnet bound to a namespace. The namespace may appear later (the teams layer creates
 * team namespaces); Kube-OVN binds it when it does, and pods started afterwards get addresses here.
 */
export class Subnet extends pulumi.ComponentResource {
  /** The Subnet object; pods of the bound namespace should start after it exists. */
  public readonly resource: k8s.apiextensions.CustomResource;
  public readonly cidrBlock: string;

  constructor(name: string, args: SubnetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:network:Subnet", name, {}, opts);
    this.cidrBlock = String(args.subnet.spec.cidrBlock);
    this.resource = new k8s.apiextensions.CustomResource(
      args.subnet.name,
      { apiVersion: "kubeovn.io/v1", kind: "Subnet", metadata: { name: args.subnet.name }, spec: args.subnet.spec },
      { parent: this, provider: args.access.provider, dependsOn: [args.kubeOvnReady] },
    );
    this.registerOutputs({ cidrBlock: this.cidrBlock });
  }
}

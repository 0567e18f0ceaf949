import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../config/model";
import type { LabSecrets } from "../config/stack";
import type { ClusterAccess } from "./shared/cluster-access";
import { sshConnection } from "./shared/connection";
import { Teams } from "./teams/teams";

export interface LabArgs {
  /** The validated, derived lab description; every layer reads only this. */
  readonly model: LabModel;
  /** Secret inputs (SSH key) as secret Outputs. */
  readonly secrets: LabSecrets;
}

/**
 * The whole DST lab: bootstrap, network, GitOps, team pools, monitoring and lab health, wired in the
 * order data flows. Each layer is its own component; this one only connects their inputs and outputs.
 */
export class Lab extends pulumi.ComponentResource {
  /** Pools by name with their kind (platform, dedicated, shared), for operators reading stack outputs. */
  public readonly pools: Record<string, string>;
  /** The teams layer: node pool patches and one TeamPool per team. */
  public readonly teams: Teams;

  constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:index:Lab", name, {}, opts);
    const { model } = args;
    this.pools = Object.fromEntries(model.pools.map((p) => [p.name, p.kind]));

    // replaced by K3sCluster.access when the bootstrap layer lands
    const access: ClusterAccess = {
      provider: new k8s.Provider(`${name}-k8s`, { kubeconfig: pulumi.secret("{}") }, { parent: this }),
      gateConnection: sshConnection(model.servers[0].address, model.ssh, args.secrets.sshPrivateKey),
      clusterReady: [],
    };

    this.teams = new Teams("teams", { model, access }, { parent: this });
    this.registerOutputs({ pools: this.pools });
  }
}

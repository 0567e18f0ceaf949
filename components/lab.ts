import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../config/model";
import { NODE_EXPORTER_TEXTFILE_DIR } from "../config/monitoring";
import type { LabSecrets } from "../config/stack";
import { Monitoring } from "./monitoring/monitoring";
import type { ClusterAccess } from "./shared/cluster-access";
import { sshConnection } from "./shared/connection";

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
  /** Namespace of the monitoring stack. */
  public readonly monitoringNamespace: string;

  constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:index:Lab", name, {}, opts);
    const { model } = args;
    this.pools = Object.fromEntries(model.pools.map((p) => [p.name, p.kind]));

    // replaced by K3sCluster.access when the bootstrap layer lands
    const access: ClusterAccess = {
      provider: new k8s.Provider("cluster", { kubeconfig: pulumi.secret("{}") }, { parent: this }),
      gateConnection: sshConnection(model.servers[0].address, model.ssh, args.secrets.sshPrivateKey),
      clusterReady: [],
    };

    // textfileDir: replaced by the bootstrap layer's lab:hosts.textfileDir when it lands.
    const monitoring = new Monitoring("monitoring", { model, access, textfileDir: NODE_EXPORTER_TEXTFILE_DIR }, { parent: this });
    this.monitoringNamespace = monitoring.namespace;

    this.registerOutputs({ pools: this.pools, monitoringNamespace: this.monitoringNamespace });
  }
}

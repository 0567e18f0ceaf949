import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../config/model";
import type { LabSecrets } from "../config/stack";
import { BenchmarkSuite } from "./benchmarks/benchmark-suite";
import { K3sCluster } from "./bootstrap/k3s-cluster";
import { GitOps } from "./gitops/gitops";
import { LabHealth } from "./health/lab-health";
import { Monitoring } from "./monitoring/monitoring";
import { Network } from "./network/network";
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
  /** Admin kubeconfig of the k3s cluster (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The teams layer: node pool patches and one TeamPool per team. */
  public readonly teams: Teams;
  /** Namespace of the monitoring stack. */
  public readonly monitoringNamespace: string;

  constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:index:Lab", name, {}, opts);
    const { model } = args;
    this.pools = Object.fromEntries(model.pools.map((p) => [p.name, p.kind]));

    // Bootstrap: hosts prepared by Ansible, k3s installed; the Kubernetes layers use cluster.access.
    const cluster = new K3sCluster(model.cluster.name, { model, sshPrivateKey: args.secrets.sshPrivateKey }, { parent: this });
    this.kubeconfig = cluster.kubeconfig;
    const access = cluster.access;

    // The CNI first: nothing schedules before Kube-OVN is up.
    const network = new Network("network", { model, access }, { parent: this });
    this.teams = new Teams("teams", { model, access }, { parent: this });
    // A team's Fleet objects live in its namespace, and its pods need its subnet.
    const teamDependsOn = Object.fromEntries(
      model.teams.map((t) => [t.name, [this.teams.teamPools[t.name].namespace, ...(network.teamSubnets[t.name] ? [network.teamSubnets[t.name]] : [])]]),
    );
    new GitOps("gitops", { model, access, networkReady: network.ready, teamDependsOn }, { parent: this });
    // Monitoring: scrape tiers, hot/cold storage, backups, alert routing.
    const monitoring = new Monitoring("monitoring", { model, access }, { parent: this });
    this.monitoringNamespace = monitoring.namespace;
    // Lab health: comparability gates, alerts, dashboards and calibration, next to the monitoring stack;
    // its VMRules wait for the operator's CRDs.
    new LabHealth("health", { model, access, namespace: monitoring.namespace, dependsOn: [monitoring.crdGate] }, { parent: this });
    // Stack benchmarks: templates only, run on demand by `npm run stack-bench`.
    if (model.benchmarks.enabled) new BenchmarkSuite("benchmarks", { model, access }, { parent: this });
    this.registerOutputs({ pools: this.pools, kubeconfig: this.kubeconfig, monitoringNamespace: this.monitoringNamespace });
  }
}

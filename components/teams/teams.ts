import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { LeaseHandover } from "./lease-handover";
import { NodePools } from "./node-pools";
import { TeamPool } from "./team-pool";

export interface TeamsArgs {
  /** The lab model: nodes with their pools, teams with their quotas and selectors. */
  readonly model: LabModel;
  /** Provider and readiness of the cluster. */
  readonly access: ClusterAccess;
}

/** The teams layer: pool labels and taints on every node, and a TeamPool per configured team. */
export class Teams extends pulumi.ComponentResource {
  /** Pool membership patches of the nodes. */
  public readonly nodePools: NodePools;
  /** Each team's pool, by team name; `teamPools[name].namespace` is what the subnet and Fleet attach to. */
  public readonly teamPools: Readonly<Record<string, TeamPool>>;

  constructor(name: string, args: TeamsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:Teams", name, {}, opts);
    const { model, access } = args;
    this.nodePools = new NodePools("nodes", { nodes: model.nodes, labelDomain: model.cluster.labelDomain, access }, { parent: this });
    new LeaseHandover("handover", { model, access, patches: this.nodePools.patches }, { parent: this });
    this.teamPools = Object.fromEntries(
      model.teams.map((team) => [
        team.name,
        new TeamPool(
          team.name,
          {
            team,
            labelDomain: model.cluster.labelDomain,
            k3sVersion: model.cluster.k3sVersion,
            monitoringNamespace: model.network.monitoringNamespace,
            access,
          },
          { parent: this },
        ),
      ]),
    );
    this.registerOutputs({ nodePools: this.nodePools, teamPools: this.teamPools });
  }
}

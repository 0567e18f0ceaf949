import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { admissionGuard } from "./admission-guard";
import { monitoringObjectsGuard } from "./monitoring-objects-guard";
import { LeaseHandover } from "./lease-handover";
import { NodePools } from "./node-pools";
import { TeamPool } from "./team-pool";
import { TeamRoles } from "./team-roles";

export interface TeamsArgs {
  /** The lab model: nodes with their pools, teams with their quotas and selectors. */
  readonly model: LabModel;
  /** Provider and readiness of the cluster. */
  readonly access: ClusterAccess;
}

/**
 * The teams layer: pool labels and taints on every node, the two explicit team roles, the policy
 * that keeps monitoring objects in the monitoring namespace, and a TeamPool per configured team.
 */
export class Teams extends pulumi.ComponentResource {
  /** Pool membership patches of the nodes. */
  public readonly nodePools: NodePools;
  /** Each team's pool, by team name; `teamPools[name].namespace` is what the subnet and Fleet attach to. */
  public readonly teamPools: Readonly<Record<string, TeamPool>>;
  /** The ClusterRoles teams are bound to (never the aggregated `edit` / `admin`). */
  public readonly roles: TeamRoles;

  constructor(name: string, args: TeamsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:Teams", name, {}, opts);
    const { model, access } = args;
    this.roles = new TeamRoles("team-roles", { access }, { parent: this });
    const guard = monitoringObjectsGuard(model.monitoring.namespace);
    admissionGuard(guard.policy.metadata.name, guard, { parent: this, provider: access.provider, dependsOn: access.clusterReady });
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
    this.registerOutputs({ nodePools: this.nodePools, teamPools: this.teamPools, roles: this.roles });
  }
}

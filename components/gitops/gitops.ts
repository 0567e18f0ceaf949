import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { Fleet } from "./fleet";
import { TeamGitOps } from "./team-gitops";

export interface GitOpsArgs {
  /** The lab model; the GitOps layer reads teams, gitops and versions. */
  readonly model: LabModel;
  /** Provider and gate connection from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** The network's readiness gate (pod network up). */
  readonly networkReady: pulumi.Input<pulumi.Resource>;
  /** Per team name, what its namespace-bound objects wait for (the teams layer's Namespace). Default: none. */
  readonly teamDependsOn?: Readonly<Record<string, pulumi.Input<pulumi.Resource>[]>>;
}

/** The GitOps layer: Fleet, the optional platform repo, and per-team restricted GitOps. */
export class GitOps extends pulumi.ComponentResource {
  /** Depend on this for Fleet objects created elsewhere. */
  public readonly ready: pulumi.Resource;
  /** Per team: its Fleet service account and GitRepo names. */
  public readonly teams: Record<string, { serviceAccount: string; gitRepos: string[] }>;

  constructor(name: string, args: GitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:gitops:GitOps", name, {}, opts);
    const { model, access } = args;
    const fleet = new Fleet("fleet", { model, access, networkReady: args.networkReady }, { parent: this });
    this.ready = fleet.ready;
    this.teams = {};
    for (const team of model.teams.filter((t) => t.repos.length > 0)) {
      const gitops = new TeamGitOps(
        `${team.name}-gitops`,
        { model, team, access, fleetReady: fleet.ready, dependsOn: args.teamDependsOn?.[team.name] },
        { parent: this },
      );
      this.teams[team.name] = { serviceAccount: gitops.serviceAccount, gitRepos: gitops.gitRepos };
    }
    this.registerOutputs({ teams: this.teams });
  }
}

/**
 * One vmagent per team for the team's experiment pods (team-series-budgets.ts says why): a VMAgent
 * custom resource (operator v0.66.1 api/operator/v1beta1/vmagent_types.go) in the monitoring
 * namespace that selects only the team's experiment VMPodScrape (label `<labelDomain>/scrape-team`)
 * and writes only to the hot tier (the cold tier drops the experiment tier anyway, metrics.ts), with
 * `-remoteWrite.maxDailySeries` = the team's budget. Its drops (`vmagent_daily_series_limit_rows_dropped_total`
 * on the operator's self-scrape, job `vmagent-exp-<team>`) are the team's alert, never a platform verdict.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { MONITORING_PODS } from "./network-policies";
import { VM_OPERATOR_API } from "./scrape-objects";
import { teamSeriesBudgets, type TeamSeriesBudget } from "./team-series-budgets";

/** Label on a scrape object naming the team whose vmagent scrapes it; the platform vmagent skips labelled objects. */
export function scrapeTeamLabel(labelDomain: string): string {
  return `${labelDomain}/scrape-team`;
}

/**
 * The flags every vmagent of the stack runs with, and its daily series budget. Stream parsing is
 * explicitly off: the chart's default is "true" (values.yaml:957 at victoria-metrics-k8s-stack-0.67.0),
 * and in stream mode vmagent v1.133 pushes each parsed chunk before it counts the next one
 * (lib/promscrape/scrapework.go processDataInStreamMode), so a target over sampleLimit would still
 * store up to the limit; without it a scrape over the limit stores nothing (up=0 only).
 */
export function vmagentFlags(dailySeries: number): Record<string, string> {
  return {
    "promscrape.streamParse": "false",
    "promscrape.dropOriginalLabels": "true",
    "remoteWrite.maxDailySeries": String(dailySeries),
  };
}

/** `spec` of a team's VMAgent. */
export function teamVmagentSpec(model: LabModel, budget: TeamSeriesBudget, hotWrite: string): Record<string, unknown> {
  const m = model.monitoring;
  const r = m.resources.teamVmagent;
  return {
    image: { repository: "victoriametrics/vmagent", tag: model.versions.victoriaMetrics },
    replicaCount: 1,
    scrapeInterval: m.scrapeIntervals.experiment,
    externalLabels: { cluster: model.cluster.name },
    selectAllByDefault: false,
    podScrapeSelector: { matchLabels: { [scrapeTeamLabel(model.cluster.labelDomain)]: budget.team } },
    podScrapeNamespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": m.namespace } },
    // Pods labelled for the monitoring NetworkPolicies (vminsert admits them; only the platform vmagent reaches them).
    podMetadata: { labels: { ...MONITORING_PODS.experimentVmagent } },
    remoteWrite: [{ url: hotWrite }],
    extraArgs: vmagentFlags(budget.dailySeries),
    resources: { requests: { ...r.requests }, limits: { ...r.limits } },
  };
}

export interface TeamVmagentsArgs {
  readonly model: LabModel;
  /** vminsert's remote-write URL (names.ts stackUrls().hotWrite). */
  readonly hotWrite: string;
  readonly access: ClusterAccess;
}

/** The teams' VMAgents; `budgets` lists what each may send. */
export class TeamVmagents extends pulumi.ComponentResource {
  public readonly budgets: TeamSeriesBudget[];

  constructor(name: string, args: TeamVmagentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:monitoring:TeamVmagents", name, {}, opts);
    const { model } = args;
    this.budgets = teamSeriesBudgets(model);
    for (const budget of this.budgets) {
      new k8s.apiextensions.CustomResource(
        budget.vmagent,
        {
          apiVersion: VM_OPERATOR_API,
          kind: "VMAgent",
          metadata: { name: budget.vmagent, namespace: model.monitoring.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi", [scrapeTeamLabel(model.cluster.labelDomain)]: budget.team } },
          spec: teamVmagentSpec(model, budget, args.hotWrite),
        },
        { parent: this, provider: args.access.provider },
      );
    }
    this.registerOutputs({ budgets: this.budgets });
  }
}

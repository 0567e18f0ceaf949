/**
 * Per-team series budgets. vmagent has one `-remoteWrite.maxDailySeries` per process and no per-job,
 * per-URL or per-tenant series limit in the open-source build (VictoriaMetrics v1.133.0
 * app/vmagent/remotewrite/remotewrite.go L83-86 and L770-785: one limiter for everything the process
 * sends; `series_limit` is per target, lib/promscrape/scrapework.go L813). So each team's experiment
 * pods are scraped by the team's own vmagent, whose limiter counts only that team's series; the
 * platform vmagent scrapes no team pod, so platform series are never behind a team's budget.
 *
 * Budget of team t (unique series per 24h):
 *
 *   budget(t) = max(experimentPerTarget, floor(experimentDailySeries × cpu(t) / Σ cpu(all teams)))
 *
 * with cpu(t) the team's home cpu quota (`TeamModel.homeQuota`, leases left out): the team's promised
 * share of the lab. Leases do not move budgets: a lender keeps its budget while it lends, and no
 * team's vmagent is restarted at a lease boundary (a restart would also reset its in-memory 24h
 * limiter). The floor keeps one whole target's worth for a team with a tiny quota. The sum over
 * teams stays within experimentDailySeries plus one target per team.
 */
import type { LabModel } from "../../config/model";
import { teamVmagentName } from "../../config/k8s-names";

export interface TeamSeriesBudget {
  readonly team: string;
  readonly namespace: string;
  /** VMAgent custom resource name (`exp-<team>`); its Service and self-scrape job are `vmagent-<name>`. */
  readonly vmagent: string;
  /** `-remoteWrite.maxDailySeries` of the team's vmagent. */
  readonly dailySeries: number;
}

export function teamSeriesBudgets(model: LabModel): TeamSeriesBudget[] {
  const b = model.monitoring.seriesBudgets;
  const totalCpu = model.teams.reduce((sum, t) => sum + t.homeQuota.cpu, 0);
  return model.teams.map((t) => ({
    team: t.name,
    namespace: t.namespace,
    vmagent: teamVmagentName(t.name),
    dailySeries: Math.max(b.experimentPerTarget, totalCpu > 0 ? Math.floor((b.experimentDailySeries * t.homeQuota.cpu) / totalCpu) : 0),
  }));
}

/** The lab-health dashboards of a lab, as Grafana JSON models. */
import type { HealthContext } from "../context";
import { calibrationDashboard } from "./calibration";
import type { Dashboard } from "./build";
import { monitoringDashboard } from "./monitoring";
import { networkDashboard } from "./network";
import { nodeHardwareDashboard } from "./node-hardware";
import { overviewDashboard } from "./overview";
import { teamUsageDashboard } from "./teams";

export function labDashboards(ctx: HealthContext): Dashboard[] {
  const teams = [...new Set(ctx.pools.flatMap((p) => p.teams))].sort();
  return [
    overviewDashboard(),
    nodeHardwareDashboard(),
    networkDashboard(ctx.health.nic.devices),
    calibrationDashboard(ctx),
    monitoringDashboard(ctx.health.minAvailability),
    teamUsageDashboard(teams),
  ];
}

/**
 * Cross-checks: rules that span several config keys. Each runs when the sections it needs parsed, so
 * one broken section still lets the others be checked; every finding names its config path.
 */
import { leaseChecks } from "../leases/checks";
import type { ConfigProblem } from "../problems";
import type { LabConfig } from "../schema";
import { benchmarks } from "./benchmarks";
import { health } from "./health";
import { derivedNames } from "./names";
import { fleetBundleNames } from "./fleet-bundle-names";
import { alertRouting, backupTarget, scrapeIntervals, storageTiers } from "./monitoring";
import { bandwidthNics, fleetWorkspaces, gateways, kubeOvnFitsReserved, monitoringSubnet, networks } from "./networks";
import { hasServer, quotas, teamPools, uniqueNodes, uniqueTeams } from "./nodes-teams";
import { hostPorts } from "./host-ports";
import { objectCounts } from "./object-counts";
import { ownedNamespaces } from "./owned-namespaces";
import type { Check } from "./util";

export { MAX_SCRAPE_INTERVAL_SECONDS, MIN_HOT_RETENTION_DAYS } from "./monitoring";
export { RESERVED_NAMESPACES } from "./nodes-teams";

export const crossChecks: readonly Check[] = [
  uniqueNodes, hasServer, uniqueTeams, networks, teamPools, quotas, objectCounts,
  scrapeIntervals, storageTiers, backupTarget, alertRouting,
  monitoringSubnet, gateways, bandwidthNics, kubeOvnFitsReserved, fleetWorkspaces, fleetBundleNames,
  health, benchmarks, derivedNames, leaseChecks, ownedNamespaces, hostPorts,
];

export function runCrossChecks(config: Partial<LabConfig>): ConfigProblem[] {
  return crossChecks.flatMap((check) => check(config));
}

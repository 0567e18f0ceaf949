/**
 * Everything the rule, dashboard and report builders need, derived once from the LabModel and the
 * monitoring layer's facts. A plain value, so the weekly report builds the same one offline.
 */
import type { LabModel } from "../../config/model";
import { durationSeconds, formatSeconds } from "../../config/duration";
import { calibrationPools, calibrationResultMaxAgeSeconds, healthWindows } from "../../config/health";
import type { HealthConfig } from "../../config/schema/health";
import { leasePoolName } from "../../config/leases/assignment";

export interface PoolContext {
  readonly name: string;
  /** Team namespaces allowed on the pool's nodes. */
  readonly teams: readonly string[];
  /** Whether the nightly calibration runs on the pool's nodes (the calibration gate applies). */
  readonly calibrated: boolean;
}

/** Scrape intervals (seconds) of the platform tiers the gates read. */
export interface TierIntervals {
  readonly infra: number;
  readonly inventory: number;
}

export interface HealthContext {
  readonly health: HealthConfig;
  /** Node label of the pool, e.g. lab.vac.dev/pool. */
  readonly poolLabel: string;
  /** The same label as kube-state-metrics exposes it on kube_node_labels, e.g. label_lab_vac_dev_pool. */
  readonly ksmPoolLabel: string;
  readonly pools: readonly PoolContext[];
  readonly monitoringNamespace: string;
  /** PromQL durations, normalised (e.g. "10m", "28d"). */
  readonly window: { readonly gate: string; readonly completeness: string; readonly baseline: string; readonly baselineExclude: string; readonly drift: string; readonly baselineRefresh: string };
  /**
   * Lease pools (`lease-<team>`) of the config's leases that are calibrated while their lease is active
   * (every one by default, since the borrower uses it; with `calibration.pools` set, those it names):
   * the calibration gate applies to them even in rules planned before the lease starts
   * (gates.ts calibrationGatePools), as the calibration jobs will run there once the lease is applied.
   */
  readonly calibratedLeasePools: readonly string[];
  /** How long a calibration result stays current. */
  readonly calibrationMaxAge: string;
  readonly scrapeSeconds: TierIntervals;
}

/** kube-state-metrics turns a Kubernetes label key into a Prometheus label: `label_` + key with every invalid character as `_`. */
export function ksmLabelName(key: string): string {
  return `label_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

function promDuration(text: string): string {
  return formatSeconds(durationSeconds(text));
}

function calibratedLeasePools(model: LabModel): string[] {
  const { calibration } = model.health;
  if (!calibration.enabled) return [];
  // While its lease is active, lease-<team> is one of the borrower's pools (config/leases/view.ts), so
  // the calibration jobs run there by default; with an explicit list, only if the list names it.
  const pools = model.leases.map((l) => leasePoolName(l.team)).filter((p) => calibration.pools === undefined || calibration.pools.includes(p));
  return [...new Set(pools)].sort();
}

export function healthContext(model: LabModel, monitoringNamespace = model.monitoring.namespace): HealthContext {
  const { health } = model;
  const w = health.windows;
  const scrapeSeconds = { infra: model.monitoring.scrapeSeconds.infra, inventory: model.monitoring.scrapeSeconds.inventory };
  const derived = healthWindows(health, scrapeSeconds);
  const calibrated = new Set(health.calibration.enabled ? calibrationPools(health.calibration, model.nodes, model.teams) : []);
  return {
    health,
    poolLabel: model.cluster.poolLabel,
    ksmPoolLabel: ksmLabelName(model.cluster.poolLabel),
    pools: model.pools.map((p) => ({ name: p.name, teams: [...p.teams], calibrated: calibrated.has(p.name) })),
    monitoringNamespace,
    window: {
      gate: derived.gate,
      completeness: derived.completeness,
      baseline: promDuration(w.baseline),
      baselineExclude: promDuration(w.baselineExclude),
      drift: promDuration(w.drift),
      baselineRefresh: promDuration(w.baselineRefresh),
    },
    calibratedLeasePools: calibratedLeasePools(model),
    calibrationMaxAge: formatSeconds(calibrationResultMaxAgeSeconds(health.calibration)),
    scrapeSeconds,
  };
}

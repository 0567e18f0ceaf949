/**
 * Derivations for lab health: which pools are calibrated, when the calibration runs, how long one
 * run takes, and how long a result stays current. Pure functions of the config.
 */
import { durationSeconds, formatSeconds } from "./duration";
import type { NodeConfig, TeamConfig } from "./schema";
import type { HealthConfig } from "./schema/health";

export type CalibrationConfig = HealthConfig["calibration"];

/** Minutes after midnight of a "HH:MM" time. */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + m;
}

/** Length of the daily window in seconds; it may wrap midnight; equal ends mean no window at all. */
export function windowSeconds(window: CalibrationConfig["window"]): number {
  const minutes = (minutesOfDay(window.end) - minutesOfDay(window.start) + 1440) % 1440;
  return minutes * 60;
}

/** The CronJob schedule: the start of the window, every day (the job's time zone is UTC). */
export function calibrationSchedule(window: CalibrationConfig["window"]): string {
  const start = minutesOfDay(window.start);
  return `${start % 60} ${Math.floor(start / 60)} * * *`;
}

/** Seconds every job waits after the network phase starts, so no host benchmark overlaps an iperf3 peer. */
export function networkPhaseSeconds(calibration: CalibrationConfig): number {
  return calibration.iperf.seconds + 60;
}

/** Time for image pulls and scheduling before the first benchmark starts. */
export const CALIBRATION_STARTUP_SECONDS = 300;

/**
 * Upper estimate of one run: start-up, the network phase (to its barrier), two fio jobs plus the
 * scratch file, two stress-ng runs. The window must hold it.
 */
export function calibrationRunSeconds(calibration: CalibrationConfig): number {
  const disk = 2 * calibration.fio.seconds + 60;
  const compute = 2 * calibration.computeSeconds + 30;
  return CALIBRATION_STARTUP_SECONDS + networkPhaseSeconds(calibration) + disk + compute;
}

/** A result is current for a day plus the window: the next run replaces or removes it. */
export function calibrationResultMaxAgeSeconds(calibration: CalibrationConfig): number {
  return 86400 + windowSeconds(calibration.window);
}

/** Pools the calibration jobs run in: the configured list, or every pool a team uses. Sorted. */
export function calibrationPools(calibration: CalibrationConfig, nodes: readonly NodeConfig[], teams: readonly TeamConfig[]): string[] {
  const pools = calibration.pools ?? teams.flatMap((t) => t.pools);
  const existing = new Set(nodes.map((n) => n.pool));
  return [...new Set(pools)].filter((p) => existing.has(p)).sort();
}

/**
 * iperf3 peer of node `index` among `count` nodes on rotation day `day`: a shift by 1 + day mod
 * (count - 1). Every node is client once and server once per run (the shift is a permutation), so
 * a run costs `count` tests, and count - 1 consecutive days cover every ordered pair.
 */
export function iperfPeerIndex(index: number, count: number, day: number): number | undefined {
  if (count < 2) return undefined;
  return (index + 1 + (day % (count - 1))) % count;
}

/** Scrape intervals in seconds of the tiers the gates read. */
export interface GateTierSeconds {
  readonly infra: number;
  readonly inventory: number;
}

/** The smallest gate window: 4 scrapes of the infra tier (rate() and increase() need several samples). */
export const GATE_WINDOW_MIN_SCRAPES = 4;

/** Scrapes a completeness window must hold to tell availability `min` from one missed scrape: ceil(1 / (1 - min)). */
export function completenessScrapesNeeded(minAvailability: number): number {
  return minAvailability >= 1 ? 1 : Math.ceil(1 / (1 - minAvailability) - 1e-9);
}

/** The slowest interval the completeness gate reads: node_exporter (infra) and its inventory scrape. */
export function completenessIntervalSeconds(tiers: GateTierSeconds): number {
  return Math.max(tiers.infra, tiers.inventory);
}

const minutes = (seconds: number) => Math.ceil(seconds / 60) * 60;

/**
 * The gate and completeness windows: as configured, or derived from the scrape intervals they
 * depend on, so a valid interval never forces another key to change. Gate: max(10m, 4 infra
 * scrapes); completeness: max(1h, ceil(1 / (1 - minAvailability)) scrapes of the slower of infra
 * and inventory), rounded up to whole minutes. Returns PromQL durations ("10m", "1h40m").
 */
export function healthWindows(health: HealthConfig, tiers: GateTierSeconds): { gate: string; completeness: string } {
  const gate = health.windows.gate ?? formatSeconds(minutes(Math.max(600, GATE_WINDOW_MIN_SCRAPES * tiers.infra)));
  const needed = completenessScrapesNeeded(health.minAvailability) * completenessIntervalSeconds(tiers);
  const completeness = health.windows.completeness ?? formatSeconds(minutes(Math.max(3600, needed)));
  return { gate: formatSeconds(durationSeconds(gate)), completeness: formatSeconds(durationSeconds(completeness)) };
}

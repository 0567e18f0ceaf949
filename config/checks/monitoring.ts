/** Cross-checks of the monitoring section: scrape tiers, storage tiers, backups and alert routing. */
import { durationSeconds } from "../duration";
import { retentionDays } from "../monitoring";
import type { ConfigProblem } from "../problems";
import { duplicateProblems, type Check } from "./util";

/** The longest scrape interval any tier may use: beyond it the 5m lookback leaves gaps. */
export const MAX_SCRAPE_INTERVAL_SECONDS = 120;

export const scrapeIntervals: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  return Object.entries(monitoring.scrapeIntervals).flatMap(([tier, text]) =>
    durationSeconds(text) > MAX_SCRAPE_INTERVAL_SECONDS
      ? [{ path: `lab:monitoring.scrapeIntervals.${tier}`, message: `${text} exceeds the 2m maximum (longer intervals leave gaps in the 5m lookback)` }]
      : durationSeconds(text) < 1
        ? [{ path: `lab:monitoring.scrapeIntervals.${tier}`, message: `${text} is below the 1s minimum` }]
        : [],
  );
};

/** Hot raw retention must cover a week-over-week comparison of the previous full week. */
export const MIN_HOT_RETENTION_DAYS = 14;

export const storageTiers: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  const { hot, cold, scrapeIntervals } = monitoring;
  const problems: ConfigProblem[] = [];
  const infra = durationSeconds(scrapeIntervals.infra);
  const resolution = durationSeconds(cold.resolution);
  if (resolution < infra) {
    problems.push({
      path: "lab:monitoring.cold.resolution",
      message: `${cold.resolution} is finer than the infra scrape interval ${scrapeIntervals.infra}; the cold tier would keep every sample`,
    });
  } else if (resolution > MAX_SCRAPE_INTERVAL_SECONDS * 5) {
    problems.push({ path: "lab:monitoring.cold.resolution", message: `${cold.resolution} exceeds 10m; rate() over the cold tier needs at least 4 samples per hour window` });
  }
  if (retentionDays(hot.retention) < MIN_HOT_RETENTION_DAYS) {
    problems.push({ path: "lab:monitoring.hot.retention", message: `${hot.retention} is shorter than 2w; week-over-week comparison needs the previous full week raw` });
  }
  if (retentionDays(cold.retention) <= retentionDays(hot.retention)) {
    problems.push({ path: "lab:monitoring.cold.retention", message: `${cold.retention} does not outlive the hot tier (${hot.retention}); the cold tier would add nothing` });
  }
  if (hot.replicationFactor > hot.storageNodes) {
    problems.push({
      path: "lab:monitoring.hot.replicationFactor",
      message: `${hot.replicationFactor} copies need at least ${hot.replicationFactor} storage nodes (hot.storageNodes is ${hot.storageNodes})`,
    });
  }
  return problems;
};

export const backupTarget: Check = ({ monitoring }) => {
  const backup = monitoring?.backup;
  if (!backup) return [];
  const s3 = backup.target.startsWith("s3://");
  const problems: ConfigProblem[] = [];
  if (s3 && !backup.s3) problems.push({ path: "lab:monitoring.backup.s3", message: "is required for an s3:// target (credentialsSecret at least)" });
  if (!s3 && !backup.nfs) problems.push({ path: "lab:monitoring.backup.nfs", message: "is required for an fs:// target: the NFS export mounted at that path" });
  if (!s3 && backup.s3) problems.push({ path: "lab:monitoring.backup.s3", message: "applies only to s3:// targets" });
  if (s3 && backup.nfs) problems.push({ path: "lab:monitoring.backup.nfs", message: "applies only to fs:// targets" });
  return problems;
};

export const alertRouting: Check = ({ monitoring }) => {
  if (!monitoring) return [];
  const { receivers, routes } = monitoring.alerting;
  const problems = duplicateProblems("monitoring.alerting.receivers", receivers, "name", (v) => `receiver name "${v}"`);
  const names = receivers.map((r) => r.name);
  receivers.forEach((r, i) => {
    if (r.name === "null") {
      problems.push({ path: `lab:monitoring.alerting.receivers[${i}].name`, message: '"null" is reserved for the Watchdog meta-alerts; choose another name' });
    }
  });
  for (const route of ["comparability", "labHealth"] as const) {
    if (!names.includes(routes[route])) {
      problems.push({
        path: `lab:monitoring.alerting.routes.${route}`,
        message: `receiver "${routes[route]}" is not defined (receivers: ${names.map((n) => `"${n}"`).join(", ")})`,
      });
    }
  }
  if (routes.comparability === routes.labHealth) {
    problems.push({
      path: "lab:monitoring.alerting.routes.comparability",
      message: `must differ from routes.labHealth ("${routes.labHealth}"): comparability alerts go to the experimenters, lab-health alerts to the operators`,
    });
  }
  return problems;
};

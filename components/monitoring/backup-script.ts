/**
 * The shell the backup CronJobs run, as pure functions so the tests run exactly these scripts against
 * a real VictoriaMetrics with the Debian vmbackup/vmrestore (OSS "smart backups", vmbackup docs):
 *
 *  - every hour: incremental `vmbackup` from a fresh snapshot to `<target>/<instance>/latest`;
 *  - in the run at `dailyHourUtc`, also a dated copy `<target>/<instance>/daily/YYYYMMDD`, made from
 *    another snapshot with `-origin=<latest>` so unchanged parts are copied server-side. Both steps
 *    run in one job, one after the other: the hourly backup never runs while the daily copy reads it;
 *  - then the dated copies beyond `keepDaily` are deleted (vmbackupmanager, which does this, is
 *    Enterprise-only).
 */
import { shellQuote } from "../shared/readiness-gate";

export interface BackupTarget {
  /** `s3://bucket/prefix` or `fs:///path`, no trailing slash. */
  readonly url: string;
  /** S3-compatible endpoint (Garage, Ceph RGW); unset for AWS. */
  readonly s3Endpoint?: string;
  readonly s3ForcePathStyle?: boolean;
}

export interface InstanceBackup {
  readonly target: BackupTarget;
  /** Directory of this instance under the target, e.g. `vmstorage-0`. */
  readonly instanceId: string;
  readonly dataPath: string;
  readonly snapshotCreateUrl: string;
  /**
   * File holding the instance's `-snapshotAuthKey` (admin-keys.ts); the script appends it to the
   * snapshot URL as `authKey` (vmbackup v1.133.0 derives the delete URL from it, query included:
   * app/vmbackup/main.go L79). Overridable with SNAPSHOT_AUTH_KEY_FILE.
   */
  readonly snapshotKeyFile: string;
  readonly dailyHourUtc: number;
  readonly keepDaily: number;
}

/** The vmbackup binary in the victoriametrics/vmbackup image. */
export const VMBACKUP_IN_IMAGE = "/vmbackup-prod";

export function instanceUrl(target: BackupTarget, instanceId: string): string {
  return `${target.url.replace(/\/+$/, "")}/${instanceId}`;
}

function s3Flags(target: BackupTarget): string[] {
  if (!target.url.startsWith("s3://")) return [];
  return [
    ...(target.s3Endpoint ? [`-customS3Endpoint=${target.s3Endpoint}`] : []),
    `-s3ForcePathStyle=${target.s3ForcePathStyle ?? true}`,
  ];
}

/**
 * Hourly incremental backup plus the daily dated copy. Environment overrides, for tests and manual
 * runs: VMBACKUP (binary), VMBACKUP_LISTEN (its metrics listener), BACKUP_HOUR, BACKUP_DAY,
 * SNAPSHOT_AUTH_KEY_FILE.
 */
export function backupScript(b: InstanceBackup): string {
  const base = instanceUrl(b.target, b.instanceId);
  const flags = [
    ...[`-storageDataPath=${b.dataPath}`, ...s3Flags(b.target)].map(shellQuote),
    // The key is read at run time from the mounted Secret: it is in no manifest.
    `${shellQuote(`-snapshot.createURL=${b.snapshotCreateUrl}?authKey=`)}"$SNAPSHOT_AUTH_KEY"`,
  ].join(" ");
  const hour = String(b.dailyHourUtc).padStart(2, "0");
  return [
    "set -eu",
    `VMBACKUP="\${VMBACKUP:-${VMBACKUP_IN_IMAGE}}"`,
    'LISTEN="${VMBACKUP_LISTEN:-127.0.0.1:8420}"',
    'HOUR="${BACKUP_HOUR:-$(date -u +%H)}"',
    'DAY="${BACKUP_DAY:-$(date -u +%Y%m%d)}"',
    `SNAPSHOT_AUTH_KEY="$(cat "\${SNAPSHOT_AUTH_KEY_FILE:-${b.snapshotKeyFile}}")"`,
    `echo "incremental backup to ${base}/latest"`,
    `"$VMBACKUP" -httpListenAddr="$LISTEN" ${flags} ${shellQuote(`-dst=${base}/latest`)}`,
    `if [ "$HOUR" = "${hour}" ]; then`,
    `  echo "daily copy to ${base}/daily/$DAY"`,
    `  "$VMBACKUP" -httpListenAddr="$LISTEN" ${flags} ${shellQuote(`-origin=${base}/latest`)} "-dst=${base}/daily/$DAY"`,
    "fi",
    "",
  ].join("\n");
}

/** Lists dated copies newest first and deletes those beyond `keep`, reading names from stdin-like listing. */
function pruneLoop(list: string, remove: (day: string) => string, keep: number): string {
  return [
    `${list} | grep -E '^[0-9]{8}$' | sort -r | tail -n +${keep + 1} | while read -r day; do`,
    '  echo "prune daily copy $day"',
    `  ${remove("$day")}`,
    "done",
  ].join("\n");
}

/** Prune for fs:// targets (runs in the vmbackup image: busybox sh). */
export function pruneScriptFs(target: BackupTarget, instanceId: string, keepDaily: number): string {
  const dir = `${instanceUrl(target, instanceId).replace(/^fs:\/\//, "")}/daily`;
  return ["set -eu", `DIR=${shellQuote(dir)}`, 'if [ ! -d "$DIR" ]; then exit 0; fi', pruneLoop('ls -1 "$DIR"', (d) => `rm -rf "$DIR/${d}"`, keepDaily), ""].join("\n");
}

/** Prune for s3:// targets (runs in the amazon/aws-cli image; AWS_* variables from the Secret). */
export function pruneScriptS3(target: BackupTarget, instanceId: string, keepDaily: number): string {
  const prefix = `${instanceUrl(target, instanceId)}/daily/`;
  const aws = `aws${target.s3Endpoint ? ` --endpoint-url ${shellQuote(target.s3Endpoint)}` : ""}`;
  return [
    "set -eu",
    `PREFIX=${shellQuote(prefix)}`,
    pruneLoop(`${aws} s3 ls "$PREFIX" | awk '$1 == "PRE" { sub("/$", "", $2); print $2 }'`, (d) => `${aws} s3 rm --recursive --only-show-errors "$PREFIX${d}/"`, keepDaily),
    "",
  ].join("\n");
}

/** The vmrestore call of the documented restore procedure (the instance must be stopped). */
export function restoreArgs(target: BackupTarget, instanceId: string, from: string, dataPath: string): string[] {
  return [`-src=${instanceUrl(target, instanceId)}/${from}`, `-storageDataPath=${dataPath}`, ...s3Flags(target)];
}

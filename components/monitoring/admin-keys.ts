/**
 * Auth keys of the storage tiers' admin APIs. Without them, anyone who can send an HTTP request to
 * vmselect, vmstorage or the cold VMSingle deletes series, drops snapshots or forces merges (an
 * empty key flag lets every request through: VictoriaMetrics v1.133.0 lib/httpserver/httpserver.go
 * CheckAuthFlag L465-481 falls back to -httpAuth.*, which the stack does not set).
 *
 * Each key is a generated random string (RandomPassword, a secret Output), stored in one Secret of the
 * monitoring namespace; the VM operator mounts it at /etc/vm/secrets/<secret>/ (operator v0.66.1
 * api/operator/v1beta1/vmextra_types.go `Secrets`, SecretsDir L72) and the flags read the files
 * (`-flag=file:///path`, flagutil.NewPassword at v1.133.0 lib/flagutil/password.go: re-read every
 * 2s). So the chart values and the plan carry only file paths, never a key.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClusterAccess } from "../shared/cluster-access";

/** The Secret holding every admin key, in the monitoring namespace. */
export const ADMIN_KEYS_SECRET = "vm-admin-auth-keys";

/** Where the VM operator mounts the Secret in vmselect, vmstorage and VMSingle pods. */
export const ADMIN_KEYS_DIR = `/etc/vm/secrets/${ADMIN_KEYS_SECRET}`;

/**
 * Admin endpoints and the flag that guards them, per key, at VictoriaMetrics v1.133.0 (cluster
 * app/vmselect/main.go L58-60, app/vmstorage/main.go L43-45 and L106; single-node the same flags in
 * app/vmselect and app/vmstorage; lib/httpserver/httpserver.go L53-55 for pprof and /flags).
 */
export const ADMIN_KEYS = {
  delete: { flag: "deleteAuthKey", guards: "/api/v1/admin/tsdb/delete_series, /tags/delSeries", on: ["vmselect", "vmsingle"] },
  "reset-cache": { flag: "search.resetCacheAuthKey", guards: "/internal/resetRollupResultCache", on: ["vmselect", "vmsingle"] },
  "metric-names-reset": { flag: "metricNamesStatsResetAuthKey", guards: "/api/v1/admin/status/metric_names_stats/reset", on: ["vmselect", "vmsingle"] },
  snapshot: { flag: "snapshotAuthKey", guards: "/snapshot/create, /snapshot/delete, /snapshot/delete_all, /snapshot/list", on: ["vmstorage", "vmsingle"] },
  "force-merge": { flag: "forceMergeAuthKey", guards: "/internal/force_merge", on: ["vmstorage", "vmsingle"] },
  "force-flush": { flag: "forceFlushAuthKey", guards: "/internal/force_flush", on: ["vmstorage", "vmsingle"] },
  "log-new-series": { flag: "logNewSeriesAuthKey", guards: "/internal/log_new_series", on: ["vmstorage", "vmsingle"] },
  pprof: { flag: "pprofAuthKey", guards: "/debug/pprof/* (CPU profiles on demand)", on: ["vmselect", "vmstorage", "vmsingle"] },
  flags: { flag: "flagsAuthKey", guards: "/flags", on: ["vmselect", "vmstorage", "vmsingle"] },
} as const satisfies Record<string, { flag: string; guards: string; on: readonly StorageComponent[] }>;

export type StorageComponent = "vmselect" | "vmstorage" | "vmsingle";
export type AdminKey = keyof typeof ADMIN_KEYS;

/** Path of one key inside the pods that mount the Secret. */
export function adminKeyFile(key: AdminKey, dir: string = ADMIN_KEYS_DIR): string {
  return `${dir}/${key}`;
}

/**
 * `extraArgs` of one storage component: every admin flag it has, read from the mounted Secret
 * (`file://` + absolute path). `dir` is for tests that run the real binaries with a temp directory.
 */
export function adminKeyArgs(component: StorageComponent, dir: string = ADMIN_KEYS_DIR): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(ADMIN_KEYS) as Array<[AdminKey, (typeof ADMIN_KEYS)[AdminKey]]>)
      .filter(([, k]) => (k.on as readonly string[]).includes(component))
      .map(([key, k]) => [k.flag, `file://${adminKeyFile(key, dir)}`]),
  );
}

/** The spec fields that mount the Secret and set the flags (VMCluster component or VMSingle spec). */
export function adminKeySpec(component: StorageComponent): { secrets: string[]; extraArgs: Record<string, string> } {
  return { secrets: [ADMIN_KEYS_SECRET], extraArgs: adminKeyArgs(component) };
}

export interface AdminKeysArgs {
  /** The monitoring namespace. */
  readonly namespace: string;
  readonly access: ClusterAccess;
}

/** The generated keys (48 alphanumerics each: safe in a query string) and the Secret that holds them. */
export class AdminKeys extends pulumi.ComponentResource {
  public readonly secretName = ADMIN_KEYS_SECRET;

  constructor(name: string, args: AdminKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:monitoring:AdminKeys", name, {}, opts);
    const stringData: Record<string, pulumi.Output<string>> = {};
    for (const key of Object.keys(ADMIN_KEYS) as AdminKey[]) {
      const password = new random.RandomPassword(`${name}-${key}`, { length: 48, special: false }, { parent: this });
      stringData[key] = pulumi.secret(password.result);
    }
    new k8s.core.v1.Secret(
      ADMIN_KEYS_SECRET,
      { metadata: { name: ADMIN_KEYS_SECRET, namespace: args.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } }, type: "Opaque", stringData },
      { parent: this, provider: args.access.provider, dependsOn: args.access.clusterReady },
    );
    this.registerOutputs({ secretName: this.secretName });
  }
}

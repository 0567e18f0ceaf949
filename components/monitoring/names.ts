/**
 * Names and in-cluster URLs of what the victoria-metrics-k8s-stack release and the VM operator create.
 * The chart names its custom resources after `fullnameOverride`; the operator prefixes the objects
 * it makes from them (operator v0.66.1 `PrefixedName`: vmsingle-<cr>, vminsert-<cr>, …).
 */

/** HelmChart/release name and the chart's `fullnameOverride`: short, so derived names stay short. */
export const STACK_NAME = "vmks";

/** The cold-tier VMSingle custom resource. */
export const COLD_NAME = `${STACK_NAME}-cold`;

/** Data directories: vmstorage's as the chart sets it, VMSingle's operator default. */
export const VMSTORAGE_DATA_PATH = "/vm-data";
export const VMSINGLE_DATA_PATH = "/victoria-metrics-data";

/** Tenant the chart writes to and reads from (`tenant: "0"`). */
const TENANT = "0";

function svc(name: string, namespace: string, port: number): string {
  return `http://${name}.${namespace}.svc:${port}`;
}

export interface StackUrls {
  /** vmagent → hot tier (vminsert). */
  readonly hotWrite: string;
  /** Grafana/vmalert → hot tier (vmselect), Prometheus API root. */
  readonly hotRead: string;
  /** vmagent → cold tier. */
  readonly coldWrite: string;
  /** Grafana → cold tier, Prometheus API root. */
  readonly coldRead: string;
}

export function stackUrls(namespace: string): StackUrls {
  const cold = svc(`vmsingle-${COLD_NAME}`, namespace, 8428);
  return {
    hotWrite: `${svc(`vminsert-${STACK_NAME}`, namespace, 8480)}/insert/${TENANT}/prometheus/api/v1/write`,
    hotRead: `${svc(`vmselect-${STACK_NAME}`, namespace, 8481)}/select/${TENANT}/prometheus`,
    coldWrite: `${cold}/api/v1/write`,
    coldRead: cold,
  };
}

/** The storage instances a backup covers: each vmstorage replica of the hot tier, and the cold VMSingle. */
export interface StorageInstance {
  /** Directory under the backup target, e.g. `vmstorage-0`, `cold`. */
  readonly id: string;
  /** Pod whose node the backup job must run on (the PVC is ReadWriteOnce). */
  readonly podSelector: Readonly<Record<string, string>>;
  /** PVC holding the data. */
  readonly claimName: string;
  readonly dataPath: string;
  /** Snapshot API of the instance (no restart needed to back up). */
  readonly snapshotCreateUrl: string;
}

export function storageInstances(namespace: string, storageNodes: number): StorageInstance[] {
  const hot = Array.from({ length: storageNodes }, (_, i) => {
    const pod = `vmstorage-${STACK_NAME}-${i}`;
    return {
      id: `vmstorage-${i}`,
      podSelector: { "statefulset.kubernetes.io/pod-name": pod },
      claimName: `vmstorage-db-${pod}`,
      dataPath: VMSTORAGE_DATA_PATH,
      // Headless service vmstorage-<cr> gives every replica its own DNS name.
      snapshotCreateUrl: `http://${pod}.vmstorage-${STACK_NAME}.${namespace}.svc:8482/snapshot/create`,
    };
  });
  const cold = {
    id: "cold",
    podSelector: { "app.kubernetes.io/name": "vmsingle", "app.kubernetes.io/instance": COLD_NAME },
    claimName: `vmsingle-${COLD_NAME}`,
    dataPath: VMSINGLE_DATA_PATH,
    snapshotCreateUrl: `${svc(`vmsingle-${COLD_NAME}`, namespace, 8428)}/snapshot/create`,
  };
  return [...hot, cold];
}

/** Grafana data source uids, stable so that dashboards can name the tier they read. */
export const HOT_DATASOURCE_UID = "victoriametrics";
export const COLD_DATASOURCE_UID = "victoriametrics-cold";

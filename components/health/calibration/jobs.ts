/**
 * The Kubernetes objects of the calibration, as plain specs derived from the model: one ConfigMap
 * with the four steps of scripts.ts, one CronJob per calibrated node (the steps as containers, in
 * order, each running its script from the ConfigMap) and an iperf3 server DaemonSet on the calibrated
 * pools. Every container has requests and limits and a pinned image.
 *
 * The scripts live once in the ConfigMap, not inline in each CronJob: inline they were ~20 KB of
 * every CronJob (20 MB of etcd and of the plan for 1000 nodes), and a script change was a change of
 * every CronJob; now it is one object, which the next night's pods mount.
 */
import {
  calibrationPools,
  calibrationSchedule,
  minutesOfDay,
  networkPhaseSeconds,
  windowSeconds,
} from "../../../config/health";
import type { LabModel } from "../../../config/model";
import { calibrationScript, type CalibrationStep } from "./scripts";
import { labelValue } from "../../../config/k8s-names";

/** Scratch space for fio on the node's local disk. */
export const SCRATCH_DIRECTORY = "/var/lib/lab-calibration";

export interface CalibrationNode {
  readonly name: string;
  readonly pool: string;
  /** Position in its pool's node list (the rotation's index). */
  readonly index: number;
  readonly poolNodes: readonly string[];
  readonly poolAddresses: readonly string[];
}

/** Nodes of the calibrated pools, each with its pool's ordered members for the iperf3 rotation. */
export function calibrationNodes(model: LabModel): CalibrationNode[] {
  const pools = calibrationPools(model.health.calibration, model.nodes, model.teams);
  return pools.flatMap((pool) => {
    const members = model.nodes.filter((n) => n.pool === pool);
    return members.map((n, index) => ({
      name: n.name,
      pool,
      index,
      poolNodes: members.map((m) => m.name),
      poolAddresses: members.map((m) => m.address),
    }));
  });
}

/** A CronJob name for a node and a label value (config/k8s-names.ts, where the config checks refuse collisions). */
export { calibrationCronJobName as cronJobName, labelValue } from "../../../config/k8s-names";

type Quantity = { readonly cpu: string; readonly memory: string };
const resources = (requests: Quantity, limits: Quantity) => ({ requests, limits });

/** Requests and limits per step; compute is Guaranteed (requests = limits) so its result is stable. */
export const STEP_RESOURCES: Record<CalibrationStep, ReturnType<typeof resources>> = {
  check: resources({ cpu: "50m", memory: "64Mi" }, { cpu: "200m", memory: "128Mi" }),
  network: resources({ cpu: "1", memory: "256Mi" }, { cpu: "4", memory: "512Mi" }),
  disk: resources({ cpu: "500m", memory: "256Mi" }, { cpu: "2", memory: "1Gi" }),
  compute: resources({ cpu: "2", memory: "2Gi" }, { cpu: "2", memory: "2Gi" }),
};

const VOLUMES = { state: "/state", textfile: "/textfile", scratch: "/scratch", scripts: "/scripts" } as const;

/** The ConfigMap holding the step scripts (`<step>.sh`), in the calibration namespace. */
export const CALIBRATION_SCRIPTS_CONFIGMAP = "lab-calibration-scripts";

const STEPS: readonly CalibrationStep[] = ["check", "network", "disk", "compute"];

/** `data` of the scripts ConfigMap: `<step>.sh` → the step's POSIX sh script (scripts.ts). */
export function calibrationScriptsData(): Record<string, string> {
  return Object.fromEntries(STEPS.map((step) => [`${step}.sh`, calibrationScript(step)]));
}

function stepImage(model: LabModel, step: CalibrationStep): string {
  const images = model.health.calibration.images;
  return { check: images.network, network: images.network, disk: images.disk, compute: images.compute }[step];
}

function stepEnv(model: LabModel, node: CalibrationNode): Array<{ name: string; value: string }> {
  const c = model.health.calibration;
  const env: Record<string, string> = {
    NODE_NAME: node.name,
    NODE_INDEX: String(node.index),
    POOL_NODES: node.poolNodes.join(" "),
    POOL_ADDRESSES: node.poolAddresses.join(" "),
    TEAM_NAMESPACES: model.teams.map((t) => t.namespace).join(" "),
    WINDOW_START_MINUTES: String(minutesOfDay(c.window.start)),
    WINDOW_END_MINUTES: String(minutesOfDay(c.window.end)),
    NETWORK_PHASE_SECONDS: String(networkPhaseSeconds(c)),
    IPERF_PORT: String(c.iperf.port),
    IPERF_SECONDS: String(c.iperf.seconds),
    IPERF_STREAMS: String(c.iperf.streams),
    FIO_SIZE_MIB: String(c.fio.sizeMiB),
    FIO_SECONDS: String(c.fio.seconds),
    FIO_DIRECT: "1",
    COMPUTE_SECONDS: String(c.computeSeconds),
    TEXTFILE_DIR: VOLUMES.textfile,
    STATE_DIR: VOLUMES.state,
    SCRATCH_DIR: VOLUMES.scratch,
  };
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function container(model: LabModel, node: CalibrationNode, step: CalibrationStep) {
  return {
    name: step,
    image: stepImage(model, step),
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/sh", `${VOLUMES.scripts}/${step}.sh`],
    env: stepEnv(model, node),
    resources: STEP_RESOURCES[step],
    volumeMounts: [
      { name: "state", mountPath: VOLUMES.state },
      { name: "textfile", mountPath: VOLUMES.textfile },
      { name: "scripts", mountPath: VOLUMES.scripts, readOnly: true },
      ...(step === "disk" ? [{ name: "scratch", mountPath: VOLUMES.scratch }] : []),
    ],
  };
}

export const CALIBRATION_SERVICE_ACCOUNT = "lab-calibration";
export const CALIBRATION_LABELS = { "app.kubernetes.io/name": "lab-calibration", "app.kubernetes.io/part-of": "lab-health" } as const;

/** Toleration of every pool taint: calibration runs on dedicated and shared pools alike. */
export function poolToleration(model: LabModel) {
  return { key: model.cluster.poolLabel, operator: "Exists", effect: "NoSchedule" };
}

export function cronJobSpec(model: LabModel, node: CalibrationNode, textfileDirectory: string) {
  const c = model.health.calibration;
  return {
    schedule: calibrationSchedule(c.window),
    timeZone: "Etc/UTC",
    concurrencyPolicy: "Forbid",
    // A start missed by more than 5 minutes is dropped rather than run late.
    startingDeadlineSeconds: 300,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      spec: {
        backoffLimit: 0,
        // The window's end is a hard stop.
        activeDeadlineSeconds: windowSeconds(c.window),
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels: { ...CALIBRATION_LABELS, [`${model.cluster.labelDomain}/calibrated-node`]: labelValue(node.name) } },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: CALIBRATION_SERVICE_ACCOUNT,
            // Host network: the same path between NICs that experiments' host traffic takes, to the iperf3 servers.
            hostNetwork: true,
            dnsPolicy: "ClusterFirstWithHostNet",
            nodeSelector: { "kubernetes.io/hostname": node.name },
            tolerations: [poolToleration(model)],
            initContainers: (["check", "network", "disk"] as const).map((step) => container(model, node, step)),
            containers: [container(model, node, "compute")],
            volumes: [
              { name: "state", emptyDir: {} },
              { name: "textfile", hostPath: { path: textfileDirectory, type: "Directory" } },
              { name: "scratch", hostPath: { path: SCRATCH_DIRECTORY, type: "DirectoryOrCreate" } },
              { name: "scripts", configMap: { name: CALIBRATION_SCRIPTS_CONFIGMAP } },
            ],
          },
        },
      },
    },
  };
}

/** The iperf3 server's container name; the foreign-load gate counts its cpu outside the calibration window. */
export const IPERF_SERVER_CONTAINER = "iperf3";

export function iperfServerSpec(model: LabModel, pools: readonly string[]) {
  const labels = { ...CALIBRATION_LABELS, "app.kubernetes.io/component": "iperf3-server" };
  return {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        hostNetwork: true,
        automountServiceAccountToken: false,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: model.cluster.poolLabel, operator: "In", values: [...pools] }] }],
            },
          },
        },
        tolerations: [poolToleration(model)],
        containers: [
          {
            name: IPERF_SERVER_CONTAINER,
            image: model.health.calibration.images.network,
            imagePullPolicy: "IfNotPresent",
            command: ["iperf3", "-s", "-p", String(model.health.calibration.iperf.port)],
            ports: [{ name: "iperf3", containerPort: model.health.calibration.iperf.port, protocol: "TCP" }],
            // Idle all day; a receiver at line rate needs a few cores during the one nightly test.
            resources: resources({ cpu: "50m", memory: "64Mi" }, { cpu: "4", memory: "512Mi" }),
          },
        ],
      },
    },
  };
}

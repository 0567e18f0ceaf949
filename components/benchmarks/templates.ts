/**
 * The suite's objects as plain specs derived from the model: one suspended CronJob per benchmark
 * template. A suspended CronJob never runs on its own; it is a reviewed, policy-checked template from
 * which `npm run stack-bench` makes Jobs on demand (what `kubectl create job --from=cronjob/NAME`
 * does, plus the node and target it picks). Every container has requests and limits and a pinned
 * image; every pod is confined to the suite's pool by node affinity and tolerates only its taint.
 */
import { benchmarkPool } from "../../config/benchmarks";
import type { LabModel } from "../../config/model";
import { SCHEDULER_NAME } from "../network/bandwidth-values";
import { poolToleration } from "../health/calibration/jobs";
import { benchmarkScript, type BenchmarkRole } from "./scripts";

export const BENCHMARK_SERVICE_ACCOUNT = "lab-benchmarks";
export const BENCHMARK_LABELS = { "app.kubernetes.io/name": "lab-benchmarks", "app.kubernetes.io/part-of": "lab-benchmarks" } as const;
/** Headless service of the mesh: members resolve each other as `<job>-<index>.lab-bench-mesh`. */
export const MESH_SERVICE = "lab-bench-mesh";
/** Annotation Kube-OVN reads for a pod's egress limit, Mbit/s (kube-ovn docs: QoS, "ovn.kubernetes.io/egress_rate"). */
export const EGRESS_RATE_ANNOTATION = "ovn.kubernetes.io/egress_rate";
/** Annotations of the pod-start template: the schedulers it compares (space-separated) and the pods created at once. */
export const SCHEDULERS_ANNOTATION = "lab.benchmarks/schedulers";
export const POD_COUNT_ANNOTATION = "lab.benchmarks/pods";
/** Never scheduled (the CronJobs are suspended); any valid schedule would do. */
const NEVER = "0 0 1 1 *";

/** Every template of the suite; stack-bench refuses to run unless all are installed. */
export const TEMPLATE_NAMES = [
  "lab-bench-server",
  "lab-bench-server-host",
  "lab-bench-client",
  "lab-bench-client-host",
  "lab-bench-qos",
  "lab-bench-dns",
  "lab-bench-mesh",
  "lab-bench-pod-start",
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

type Quantity = { readonly cpu: string; readonly memory: string };
const resources = (requests: Quantity, limits: Quantity) => ({ requests, limits });

/**
 * Requests and limits by kind of pod. Network roles may burst to 4 cores: iperf3 at 8 streams on a
 * 40 Gbit/s NIC needs several, and a low CPU limit would measure CFS throttling, not the network.
 */
export const BENCHMARK_RESOURCES = {
  network: resources({ cpu: "1", memory: "128Mi" }, { cpu: "4", memory: "512Mi" }),
  dns: resources({ cpu: "100m", memory: "64Mi" }, { cpu: "500m", memory: "128Mi" }),
  mesh: resources({ cpu: "250m", memory: "64Mi" }, { cpu: "2", memory: "256Mi" }),
  pause: resources({ cpu: "10m", memory: "16Mi" }, { cpu: "50m", memory: "32Mi" }),
} as const;

/** The suite's pool (validated to exist when the suite is enabled). */
export function suitePool(model: LabModel): string {
  const pool = benchmarkPool(model.benchmarks, model.nodes, model.teams);
  if (pool === undefined) throw new Error("lab:benchmarks: no pool (the config checks should have refused this)");
  return pool;
}

/** Schedulers the pod-start test compares: the default one, and the bandwidth scheduler when it is deployed. */
export function podStartSchedulers(model: LabModel): string[] {
  return ["default-scheduler", ...(model.network.bandwidth.enabled ? [SCHEDULER_NAME] : [])];
}

/** Seconds one client run takes at most: every test of every repetition, plus a minute of slack per repetition. */
export function clientSeconds(model: LabModel): number {
  const b = model.benchmarks;
  const perRep = 3 * b.seconds + (b.latency.count * b.latency.intervalMs) / 1000 + b.seconds + 60;
  return Math.ceil(b.repetitions * perRep) + 300;
}

/** NODE_NAME and `fields` from the downward API, then plain values. */
const envList = (env: Record<string, string>, fields: Record<string, string> = {}) => [
  ...Object.entries({ NODE_NAME: "spec.nodeName", ...fields }).map(([name, fieldPath]) => ({ name, valueFrom: { fieldRef: { fieldPath } } })),
  ...Object.entries(env).map(([name, value]) => ({ name, value })),
];

function commonEnv(model: LabModel): Record<string, string> {
  const b = model.benchmarks;
  return {
    TEAM_NAMESPACES: model.teams.map((t) => t.namespace).join(" "),
    PORT: String(b.port),
    REPETITIONS: String(b.repetitions),
    TEST_SECONDS: String(b.seconds),
    STREAMS: String(b.streams),
    UDP_BYTES: String(b.udpPacketBytes),
    PINGS: String(b.latency.count),
    PING_INTERVAL_MS: String(b.latency.intervalMs),
    WAIT_SECONDS: "300",
  };
}

interface PodOptions {
  readonly role: BenchmarkRole | "pause";
  readonly hostNetwork?: boolean;
  readonly env?: Record<string, string>;
  /** Environment from the downward API: name -> fieldPath. */
  readonly fieldEnv?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly resources: ReturnType<typeof resources>;
  readonly extraLabels?: Record<string, string>;
  readonly extraSpec?: Record<string, unknown>;
}

function podTemplate(model: LabModel, name: TemplateName, options: PodOptions) {
  const b = model.benchmarks;
  const labels = { ...BENCHMARK_LABELS, [`${model.cluster.labelDomain}/benchmark`]: name, ...options.extraLabels };
  const container =
    options.role === "pause"
      ? { name: "pause", image: b.images.pause, imagePullPolicy: "IfNotPresent", resources: options.resources }
      : {
          name: options.role,
          image: b.images.network,
          imagePullPolicy: "IfNotPresent",
          command: ["/bin/sh", "-c", benchmarkScript(options.role)],
          env: envList({ ...commonEnv(model), ...options.env }, options.fieldEnv),
          resources: options.resources,
        };
  return {
    metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      restartPolicy: "Never",
      serviceAccountName: BENCHMARK_SERVICE_ACCOUNT,
      automountServiceAccountToken: options.role !== "pause",
      ...(options.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: model.cluster.poolLabel, operator: "In", values: [suitePool(model)] }] }],
          },
        },
      },
      tolerations: [poolToleration(model)],
      terminationGracePeriodSeconds: 5,
      containers: [container],
      ...options.extraSpec,
    },
  };
}

function cronJob(model: LabModel, name: TemplateName, deadlineSeconds: number, options: PodOptions, jobSpec: Record<string, unknown> = {}) {
  return {
    schedule: NEVER,
    suspend: true,
    concurrencyPolicy: "Forbid",
    jobTemplate: {
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: deadlineSeconds,
        ttlSecondsAfterFinished: 3600,
        ...jobSpec,
        template: podTemplate(model, name, options),
      },
    },
  };
}

/** Every template of the suite, by name, as CronJob specs. */
export function benchmarkTemplates(model: LabModel): Record<TemplateName, ReturnType<typeof cronJob>> {
  const b = model.benchmarks;
  const client = clientSeconds(model);
  const server = client + 600;
  const network = BENCHMARK_RESOURCES.network;
  const meshSeconds = b.seconds + 600;
  return {
    "lab-bench-server": cronJob(model, "lab-bench-server", server, { role: "server", resources: network, env: { SERVERS: "1" } }),
    "lab-bench-server-host": cronJob(model, "lab-bench-server-host", server, { role: "server", hostNetwork: true, resources: network, env: { SERVERS: "1" } }),
    "lab-bench-client": cronJob(model, "lab-bench-client", client, { role: "client", resources: network, env: { TESTS: "tcp udp latency" } }),
    "lab-bench-client-host": cronJob(model, "lab-bench-client-host", client, { role: "client", hostNetwork: true, resources: network, env: { TESTS: "tcp udp latency" } }),
    "lab-bench-qos": cronJob(model, "lab-bench-qos", client, {
      role: "client",
      resources: network,
      env: { TESTS: "qos", QOS_EGRESS_MBPS: String(b.qosEgressMbps) },
      annotations: { [EGRESS_RATE_ANNOTATION]: String(b.qosEgressMbps) },
    }),
    "lab-bench-dns": cronJob(model, "lab-bench-dns", client, {
      role: "client",
      resources: BENCHMARK_RESOURCES.dns,
      env: { TESTS: "dns", DNS_NAME: b.dns.name, DNS_PORT: "443", DNS_LOOKUPS: String(b.dns.lookups) },
    }),
    "lab-bench-mesh": cronJob(
      model,
      "lab-bench-mesh",
      meshSeconds,
      {
        role: "mesh",
        resources: BENCHMARK_RESOURCES.mesh,
        env: {
          MESH_PODS: String(b.mesh.pods),
          MESH_PEERS: String(b.mesh.peers),
          MESH_CONNECTIONS: String(b.mesh.connections),
          MESH_SUBDOMAIN: MESH_SERVICE,
        },
        // The Job controller labels its pods with job-name (kubernetes pkg/controller/job); Indexed Job pods get hostname <job>-<index>.
        fieldEnv: { JOB_NAME: "metadata.labels['job-name']" },
        extraLabels: { "lab-bench-mesh": "member" },
        extraSpec: {
          subdomain: MESH_SERVICE,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "lab-bench-mesh": "member" } } }],
        },
      },
      { completionMode: "Indexed", completions: b.mesh.pods, parallelism: b.mesh.pods },
    ),
    "lab-bench-pod-start": cronJob(model, "lab-bench-pod-start", b.podStart.timeoutSeconds + 60, {
      role: "pause",
      resources: BENCHMARK_RESOURCES.pause,
      annotations: { [SCHEDULERS_ANNOTATION]: podStartSchedulers(model).join(" "), [POD_COUNT_ANNOTATION]: String(b.podStart.pods) },
    }),
  };
}

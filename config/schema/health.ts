/**
 * `lab:health`: thresholds of the comparability gates and alerts, the windows they look at, and the
 * calibration jobs. Every default names its source; "project choice" marks the ones that are ours.
 */
import { z } from "zod";
import { dnsLabel, duration, durationOrZero, pinnedImage, positiveInt, re2Regex } from "./primitives";

const ratio = z.number().min(0, "must be at least 0");
const fraction = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");
const utcTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a UTC time "HH:MM"');

export const healthWindowsSchema = z
  .strictObject({
    /**
     * What "comparable now" looks back over: every per-node gate evaluates this window. Default
     * derived: 10m, or 4 scrapes of `lab:monitoring.scrapeIntervals.infra` if longer (rate() needs 4 samples).
     */
    gate: duration.optional(),
    /**
     * Window of scrape completeness. Default derived: 1h, or the span of ceil(1 / (1 - minAvailability))
     * scrapes of the slower of the infra and inventory tiers if longer (100 scrapes at 0.99; 100m at the
     * default 60s inventory interval), so availability can be judged at all.
     */
    completeness: duration.optional(),
    /** Rolling baseline of calibration results and pinger latency (CloudLab per-node history). Default 28d. */
    baseline: duration.default("28d"),
    /** The most recent part left out of the rolling baseline, so a fresh result is not its own reference. Default 1d. */
    baselineExclude: durationOrZero.default("1d"),
    /** Version drift compares with the inventory this long ago ("no drift vs last week"). Default 7d. */
    drift: duration.default("7d"),
    /** How often the rolling baselines are recomputed (they scan weeks of samples). Default 1h. */
    baselineRefresh: duration.default("1h"),
  })
  .prefault({});

export const clockThresholdsSchema = z
  .strictObject({
    /** Gate: |offset| must stay below this. Default 0.001 s (1 ms; chrony on a LAN is tens of µs). */
    maxOffsetSeconds: ratio.default(0.001),
    /** Alert LabClockSkew above this for 10m. Default 0.05 s (node-mixin NodeClockSkewDetected). */
    alertOffsetSeconds: ratio.default(0.05),
  })
  .prefault({});

export const cpuThresholdsSchema = z
  .strictObject({
    /** Every CPU must run this scaling governor (google/benchmark reducing_variance.md). Default performance. */
    governor: z.string().regex(/^[a-z0-9_]+$/, "must be a cpufreq governor name").default("performance"),
    /** Largest deviation of a node's mean CPU frequency from its pool's median. Default 0.05 (project choice). */
    maxFrequencyDeviation: fraction.default(0.05),
    /** Steal above this many cores fails the gate and fires LabCpuSteal. Default 0 (bare metal has none). */
    maxStealCores: ratio.default(0),
  })
  .prefault({});

export const foreignLoadSchema = z
  .strictObject({
    /** CPU of pods outside the pool's teams and system namespaces on an experiment node. Default 0.25 cores. */
    maxCores: ratio.default(0.25),
    /**
     * Namespaces whose pods are not foreign on any node, besides the monitoring and calibration
     * namespaces. Default kube-system, kube-public, kube-node-lease and Fleet's agent namespaces.
     */
    systemNamespaces: z.array(dnsLabel).default(["kube-system", "kube-public", "kube-node-lease", "cattle-fleet-system", "cattle-fleet-local-system"]),
  })
  .prefault({});

export const nicThresholdsSchema = z
  .strictObject({
    /** PromQL regex (anchored) of physical NIC device names. Default `(en|eth|ib|bond).*`. */
    devices: re2Regex.default("(en|eth|ib|bond).*"),
    /** New receive or transmit errors tolerated in the gate window. Default 0 (any increase fails). */
    maxNewErrors: ratio.default(0),
    /** New receive or transmit drops tolerated in the gate window. Default 0 (any increase fails). */
    maxNewDrops: ratio.default(0),
  })
  .prefault({});

export const pingerThresholdsSchema = z
  .strictObject({
    /** Kube-OVN pinger loss ratio tolerated. Default 0 (project choice). */
    maxLossRatio: fraction.default(0),
    /** p99 ping latency over its baseline p99. Default 1.5 (project choice). */
    maxP99Ratio: z.number().min(1, "must be at least 1").default(1.5),
  })
  .prefault({});

export const cniSchema = z
  .strictObject({
    /** Namespace of the CNI pods. Default kube-system. */
    namespace: dnsLabel.default("kube-system"),
    /** PromQL regex of CNI pod names whose restarts and image changes break comparability. */
    pods: re2Regex.default("kube-ovn-cni-.*|ovs-ovn-.*|kube-ovn-pinger-.*|cilium-.*"),
  })
  .prefault({});

export const calibrationImagesSchema = z
  .strictObject({
    /** iperf3, curl and jq: the team-pod check and the network benchmark. nicolaka/netshoot release v0.16. */
    network: pinnedImage.default("nicolaka/netshoot:v0.16"),
    /** fio on Alpine: the disk benchmark. kastenhq/kubestr release v0.4.49. */
    disk: pinnedImage.default("ghcr.io/kastenhq/kubestr:v0.4.49"),
    /** stress-ng: CPU and memory-bandwidth benchmarks. Upstream's image of release V0.22.00 (tagged by commit). */
    compute: pinnedImage.default("ghcr.io/colinianking/stress-ng:6c2ab8831bca51f17d97538d106996ca411c4c79"),
  })
  .prefault({});

export const calibrationSchema = z
  .strictObject({
    /** Run the calibration jobs at all. Default true. */
    enabled: z.boolean().default(true),
    /**
     * The calibration gate's statistics (components/health/calibration/tolerance.ts): each result's
     * band comes from its own history on the node, not a fixed percentage.
     */
    gate: z
      .strictObject({
        /**
         * Share of stationary node-weeks the gate may call not comparable, family-wise over the gated
         * results, both sides and the nights of a week (Bonferroni; the node verdict equals Holm's).
         * Default 0.01 (project choice, below the 5% the lab promises).
         */
        familyErrorRate: z.number().min(1e-6, "must be at least 1e-6 (smaller rates give bands wider than any result varies, and the quantiles lose precision)").lt(0.5, "must be below 0.5").default(0.01),
        /** Fail when at least `failing` of the last `nights` nights lie beyond the band (CONFIRM: persistence, not one run). Default 3 of 7. */
        persistence: z
          .strictObject({ nights: positiveInt.min(2, "must be at least 2").max(28, "must be at most 28").default(7), failing: positiveInt.default(3) })
          .prefault({})
          .refine((p) => p.failing <= p.nights, { message: "failing must not exceed nights", path: ["failing"] }),
        /** Nights of history a baseline needs before the gate evaluates; fewer: unknown. Default 7 (Hoefler & Belli SC'15: more than 5 for a nonparametric interval). */
        minBaselineNights: positiveInt.min(6, "must be at least 6 (Hoefler & Belli: n > 5)").default(7),
        /**
         * Smallest half-width of the band relative to the baseline median: changes below it never fail,
         * however steady the history. Default 0.05 (project choice: the cpu_frequency gate's 5%, below the
         * 8% loss the gate must catch).
         */
        minRelativeBand: fraction.default(0.05),
      })
      .prefault({}),
    /** Pools to calibrate. Default: every pool a team uses (the experiment pools). */
    pools: z.array(dnsLabel).optional(),
    /** Namespace of the jobs; its pods never count as foreign load. Default lab-calibration. */
    namespace: dnsLabel.default("lab-calibration"),
    /** Daily UTC window the jobs may run in; it may wrap midnight. Default 02:00-05:00. */
    window: z.strictObject({ start: utcTime.default("02:00"), end: utcTime.default("05:00") }).prefault({}),
    /** iperf3 between node pairs over the host network. */
    iperf: z
      .strictObject({
        /** Server port on every calibrated node. Default 5201 (iperf3's default). */
        port: positiveInt.max(65535).default(5201),
        /** Seconds per test. Default 10. */
        seconds: positiveInt.default(10),
        /** Parallel streams. Default 4. */
        streams: positiveInt.default(4),
      })
      .prefault({}),
    /** fio on the node's local disk (a scratch file under /var/lib/lab-calibration). */
    fio: z
      .strictObject({
        /** Size of the scratch file. Default 1024 MiB. */
        sizeMiB: positiveInt.default(1024),
        /** Seconds per fio job (random 4k reads, then sequential 1M writes). Default 30. */
        seconds: positiveInt.default(30),
      })
      .prefault({}),
    /** stress-ng: seconds of the CPU and of the memory-bandwidth (stream) benchmark, each. Default 20. */
    computeSeconds: positiveInt.min(5, "must be at least 5 (stress-ng's stream needs 4.5 s to report a rate)").default(20),
    images: calibrationImagesSchema,
  })
  .prefault({});

export const healthSchema = z
  .strictObject({
    windows: healthWindowsSchema,
    clock: clockThresholdsSchema,
    cpu: cpuThresholdsSchema,
    foreignLoad: foreignLoadSchema,
    nic: nicThresholdsSchema,
    pinger: pingerThresholdsSchema,
    cni: cniSchema,
    /** Smallest availability of every scrape target over the completeness window. Default 0.99. */
    minAvailability: fraction.default(0.99),
    calibration: calibrationSchema,
  })
  .prefault({});

export type HealthConfig = z.output<typeof healthSchema>;

/**
 * `lab:benchmarks`: the stack benchmark suite (docs/stack-benchmarks.md). Off by default; when on, the
 * stack installs the suite's namespace, its read-only pod lister and one suspended CronJob template
 * per benchmark role, and `npm run stack-bench` runs them on demand. Every default names its source;
 * "project choice" marks the ones that are ours.
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, pinnedImage, positiveInt } from "./primitives";

export const benchmarkImagesSchema = z
  .strictObject({
    /** iperf3, fping, curl, jq, busybox httpd: every network role. nicolaka/netshoot release v0.16 (Dockerfile). */
    network: pinnedImage.default("nicolaka/netshoot:v0.16"),
    /** The pods of the pod-start test do nothing: the pause image k3s itself ships (k3s v1.31 uses 3.6; 3.10 is current). */
    pause: pinnedImage.default("registry.k8s.io/pause:3.10"),
  })
  .prefault({});

export const benchmarksSchema = z
  .strictObject({
    /** Install the suite (namespace, RBAC, suspended CronJob templates). Default false. */
    enabled: z.boolean().default(false),
    /** Namespace of the suite; its pods never count as foreign load. Default lab-benchmarks. */
    namespace: dnsLabel.default("lab-benchmarks"),
    /** Pool the suite runs on. Default: the first (by name) pool a team uses. Needs two nodes for cross-node pairs. */
    pool: dnsLabel.optional(),
    /**
     * Repetitions of every measurement per session (one stack-bench run). Default 5, at least 4: the
     * report's unit is the session (its median of these repetitions), so repetitions make that
     * median robust to a stray value, while the sessions (at least 4 per stack, A B B A; see
     * docs/stack-benchmarks.md) carry the comparison. More repetitions cannot replace sessions.
     */
    repetitions: positiveInt.min(4, "must be at least 4 (a session's median needs them)").max(1000).default(5),
    /** Seconds per iperf3 test (TCP and UDP, pod and host network). Default 10 (iperf3's default). */
    seconds: positiveInt.max(600).default(10),
    /** Parallel TCP streams of the multi-stream test. Default 8. */
    streams: positiveInt.max(128).default(8),
    /** UDP datagram payload in bytes; small datagrams measure the packet rate. Default 64 (k8s-netperf's smallest). */
    udpPacketBytes: positiveInt.min(16).max(65_507).default(64),
    /** First TCP/UDP port of the servers; the mesh uses `port` .. `port + mesh.peers - 1`, the HTTP server `port + 100`. Default 5301 (docs/stack-benchmarks.md): iperf3's own 5201 is the calibration's host-network server. */
    port: positiveInt.min(1024).max(65_000).default(5301),
    /** Request/response latency: ICMP echoes per repetition and their interval. */
    latency: z
      .strictObject({
        /** Echo requests per repetition. Default 200 (p99 rests on 2 samples). */
        count: positiveInt.min(100, "must be at least 100 so that p99 is an observation, not an extrapolation").max(100_000).default(200),
        /** Milliseconds between echoes. Default 20 (fping's minimum for non-root is 10). */
        intervalMs: positiveInt.min(10).default(20),
      })
      .prefault({}),
    /** The p2p-like mesh: `pods` pods, each connected to `peers` others. */
    mesh: z
      .strictObject({
        /** Pods in the mesh. Default 8 (project choice: small enough for one pool of two nodes). */
        pods: positiveInt.min(2).max(200).default(8),
        /** Peers each pod connects to. Default 3 (libp2p gossipsub's D_lo is 4; one fewer fits 8 pods). */
        peers: positiveInt.max(50).default(3),
        /** New TCP connections each pod opens to its peers for the setup-rate measurement. Default 200. */
        connections: positiveInt.max(100_000).default(200),
      })
      .prefault({}),
    /** QoS accuracy: the client pod carries `ovn.kubernetes.io/egress_rate` = this many Mbit/s. Default 100. */
    qosEgressMbps: positiveInt.max(100_000).default(100),
    /** Pod start latency: pods created at once, per scheduler. */
    podStart: z
      .strictObject({
        /** Pods created at once. Default 30 (kube-burner's node-density uses tens per node). */
        pods: positiveInt.max(1000).default(30),
        /** Seconds to wait for all of them to be Ready. Default 300. */
        timeoutSeconds: positiveInt.max(3600).default(300),
      })
      .prefault({}),
    /** Cluster DNS: lookups per repetition and the name looked up (absolute, so no search-list expansion). */
    dns: z
      .strictObject({
        /** Lookups per repetition. Default 200. */
        lookups: positiveInt.max(100_000).default(200),
        /** Name to resolve. Default the API server's service name in k3s's default cluster domain. */
        name: dnsSubdomain.default("kubernetes.default.svc.cluster.local"),
      })
      .prefault({}),
    images: benchmarkImagesSchema,
  })
  .prefault({});

export type BenchmarksConfig = z.output<typeof benchmarksSchema>;

/**
 * One run of the stack benchmark suite through kubectl: read the suite's templates from the
 * cluster, pick two free nodes of its pool (A and B), and run, one after another so that no two
 * measurements share a NIC: the pairs (pod and host network, same node and cross node), QoS and
 * DNS against the cross-node pod server, the mesh and the pod-start test, each `repetitions` times.
 * Every Job is deleted when done. Returns the raw record (every log as printed) and the problems
 * met; measurement never continues on a node where a team pod appeared.
 */
import { randomBytes } from "node:crypto";
import { POD_COUNT_ANNOTATION, SCHEDULERS_ANNOTATION, TEMPLATE_NAMES, type TemplateName } from "../../components/benchmarks/templates";
import type { ProgressStep } from "../progress";
import type { RawEnvironment, RawLog, RawPodStart, RawRun } from "./collect";
import { freeNodes, jobFromTemplate, podStartPods, type CronJobTemplate, type NodeJson, type PodSummary } from "./jobs";
import { kubectlJson, type Kubectl } from "./kubectl";
import { WATCH_JSONPATH, watchEvent, type PodJson, type WatchEvent } from "./pod-latency";

type Templates = Record<TemplateName, CronJobTemplate>;

export class SuiteError extends Error {}

/** What a session ran on: each used node's versions (status.nodeInfo) and the suite's settings (the client template's environment and every image). */
function environmentOf(nodes: readonly NodeJson[], templates: Templates): RawEnvironment {
  const client = templates["lab-bench-client"].spec.jobTemplate.spec.template.spec.containers[0];
  return {
    nodes: nodes.map((n) => ({ name: n.metadata.name, ...(n.status?.nodeInfo ?? {}) })),
    settings: Object.fromEntries((client.env ?? []).filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value])),
    images: Object.fromEntries(TEMPLATE_NAMES.map((t) => [t, templates[t].spec.jobTemplate.spec.template.spec.containers.map((c: { image: string }) => c.image).join(" ")])),
  };
}

export interface RunOptions {
  readonly kubectl: Kubectl;
  readonly namespace: string;
  readonly run: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Starts a progress step (tools/progress.ts). */
  readonly step: (name: string, total?: number) => ProgressStep;
  /** Milliseconds between status polls. Default 2000. */
  readonly pollMs?: number;
  /** Unix milliseconds now. Default Date.now. */
  readonly now?: () => number;
  /** Which pair of free nodes (sorted by name) runs the pairs: pair k is nodes 2k and 2k+1, wrapping. Default 0. */
  readonly pairIndex?: number;
  /** Milliseconds between starting a pod-start watch and creating the batch (the watch must be open). Default 2000. */
  readonly watchSettleMs?: number;
}

interface JobStatus {
  readonly status?: { readonly succeeded?: number; readonly failed?: number };
}

interface PodList<T> {
  readonly items: T[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const envOf = (t: CronJobTemplate, name: string): string | undefined =>
  t.spec.jobTemplate.spec.template.spec.containers[0].env?.find((e: { name: string; value?: string }) => e.name === name)?.value;

/** The pool and label the templates confine pods to (their node affinity). */
function poolOf(t: CronJobTemplate): { label: string; pool: string } {
  const expression = t.spec.jobTemplate.spec.template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.[0];
  if (!expression?.values?.[0]) throw new SuiteError(`template ${t.metadata.name} has no pool affinity`);
  return { label: expression.key, pool: expression.values[0] };
}

export async function runSuite(options: RunOptions): Promise<{ raw: RawRun; problems: string[] }> {
  const { kubectl, namespace, run } = options;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 2000;
  const watchSettleMs = options.watchSettleMs ?? 2000;
  const id = `lb-${randomBytes(3).toString("hex")}`;
  const logs: RawLog[] = [];
  const podStart: RawPodStart[] = [];
  const problems: string[] = [];
  const startedAt = now();
  let serial = 0;
  const jobName = (what: string) => `${id}-${what}-${++serial}`;

  // Templates.
  let step = options.step("reading the suite's templates");
  const list = await kubectlJson<PodList<CronJobTemplate>>(kubectl, ["get", "cronjobs", "-n", namespace, "-l", "app.kubernetes.io/part-of=lab-benchmarks"]);
  const byName = new Map(list.items.map((t) => [t.metadata.name, t]));
  const missing = TEMPLATE_NAMES.filter((n) => !byName.has(n));
  if (missing.length > 0) throw new SuiteError(`the suite is not installed in namespace ${namespace} (missing ${missing.join(", ")}): set lab:benchmarks.enabled: true and run pulumi up`);
  const templates = Object.fromEntries(TEMPLATE_NAMES.map((n) => [n, byName.get(n)!])) as Templates;
  const { label: poolLabel, pool } = poolOf(templates["lab-bench-client"]);
  const teams = (envOf(templates["lab-bench-client"], "TEAM_NAMESPACES") ?? "").split(" ").filter(Boolean);
  const repetitions = Number(envOf(templates["lab-bench-client"], "REPETITIONS") ?? "1");
  step.end(`pool ${pool}, ${repetitions} repetitions`);

  // Nodes.
  const free = async () => {
    const nodes = await kubectlJson<PodList<NodeJson>>(kubectl, ["get", "nodes", "-l", `${poolLabel}=${pool}`]);
    const pods = await kubectlJson<PodList<PodSummary>>(kubectl, ["get", "pods", "-A", "--field-selector=status.phase!=Succeeded,status.phase!=Failed"]);
    return { ...freeNodes(nodes.items, pods.items, poolLabel, pool, teams), nodes: nodes.items };
  };
  step = options.step("choosing nodes");
  const chosen = await free();
  if (chosen.free.length < 2) throw new SuiteError(`pool ${pool} has ${chosen.free.length} free node(s), the pairs need 2; not free: ${chosen.excluded.join("; ") || "none"}`);
  const k = (options.pairIndex ?? 0) % Math.floor(chosen.free.length / 2);
  const [nodeA, nodeB] = chosen.free.slice(2 * k, 2 * k + 2);
  const meshNodes = chosen.free;
  step.end(`A=${nodeA}, B=${nodeB}${chosen.excluded.length ? `; not used: ${chosen.excluded.join("; ")}` : ""}`);

  /** Stops the run when a used node got a team pod since the start. */
  const stillFree = async (used: readonly string[]) => {
    const { free: nowFree, excluded } = await free();
    const busy = used.filter((n) => !nowFree.includes(n));
    if (busy.length > 0) throw new SuiteError(`stopped: ${excluded.filter((e) => busy.some((b) => e.startsWith(`${b}:`))).join("; ")}`);
  };

  const create = (manifest: unknown) => kubectl.run(["create", "-f", "-"], JSON.stringify(manifest));
  const remove = (kind: string, name: string) => kubectl.run(["delete", kind, name, "-n", namespace, "--ignore-not-found", "--wait=false"]).catch(() => "");
  const podsOf = (selector: string) => kubectlJson<PodList<PodJson & { status?: { phase?: string; podIP?: string } }>>(kubectl, ["get", "pods", "-n", namespace, "-l", selector]);

  /** Waits for a Job to end; true when it succeeded. */
  async function finished(name: string, deadlineMs: number, progress?: ProgressStep, done = 0): Promise<boolean> {
    for (;;) {
      const job = await kubectlJson<JobStatus>(kubectl, ["get", "job", name, "-n", namespace]);
      if ((job.status?.succeeded ?? 0) > 0 && (job.status?.failed ?? 0) === 0) return true;
      if ((job.status?.failed ?? 0) > 0) return false;
      if (now() > deadlineMs) return false;
      progress?.update(done, name);
      await sleep(pollMs);
    }
  }

  /** Starts a server Job on `node`; resolves with its pod's address, or undefined (and a problem) when it did not come up. */
  async function server(template: CronJobTemplate, node: string, name: string): Promise<string | undefined> {
    await create(jobFromTemplate(template, { name, namespace, run, node }));
    const deadline = now() + 300_000;
    for (;;) {
      const pod = (await podsOf(`job-name=${name}`)).items[0];
      if (pod?.status?.phase === "Running" && pod.status.podIP) return pod.status.podIP;
      if (pod?.status?.phase === "Failed" || pod?.status?.phase === "Succeeded" || now() > deadline) {
        const log = await kubectl.run(["logs", "-n", namespace, `job/${name}`]).catch(() => "");
        problems.push(`server ${name} on ${node} did not come up (${pod?.status?.phase ?? "no pod"}): ${log.slice(-300)}`);
        return undefined;
      }
      await sleep(pollMs);
    }
  }

  /** Runs a client Job to its end and keeps its log. */
  async function client(template: CronJobTemplate, node: string, env: Record<string, string>, labels: Record<string, string>, progress: ProgressStep, done: number): Promise<void> {
    const name = jobName("client");
    const startedAt = now();
    await create(jobFromTemplate(template, { name, namespace, run, node, env }));
    try {
      const deadline = now() + (template.spec.jobTemplate.spec.activeDeadlineSeconds + 120) * 1000;
      const ok = await finished(name, deadline, progress, done);
      const log = await kubectl.run(["logs", "-n", namespace, `job/${name}`]).catch((e: Error) => `### lab-bench failed reason=no_log ${e.message}`);
      logs.push({ role: "client", labels, log, startedAt, finishedAt: now() });
      if (!ok) problems.push(`client ${name} (${Object.values(labels).join(", ")}) failed; its log is kept`);
    } finally {
      await remove("job", name);
    }
  }

  // Pairs, then QoS and DNS against the cross-node pod server.
  const pairs = [
    { network: "pod", placement: "same_node" },
    { network: "pod", placement: "cross_node" },
    { network: "host", placement: "same_node" },
    { network: "host", placement: "cross_node" },
  ];
  const streams = envOf(templates["lab-bench-client"], "STREAMS") ?? "8";
  step = options.step("pairs, QoS and DNS", pairs.length + 2);
  let done = 0;
  for (const pair of pairs) {
    await stillFree([nodeA, nodeB]);
    const host = pair.network === "host";
    const serverNode = pair.placement === "same_node" ? nodeA : nodeB;
    const serverName = jobName("server");
    try {
      const address = await server(templates[host ? "lab-bench-server-host" : "lab-bench-server"], serverNode, serverName);
      if (!address) continue;
      const env = { TARGET: address, PEER_NODE: serverNode };
      await client(templates[host ? "lab-bench-client-host" : "lab-bench-client"], nodeA, env, { ...pair, streams }, step, done++);
      if (pair.network === "pod" && pair.placement === "cross_node") {
        await client(templates["lab-bench-qos"], nodeA, env, { test: "qos" }, step, done++);
        await client(templates["lab-bench-dns"], nodeA, env, { test: "dns" }, step, done++);
      }
    } finally {
      await remove("job", serverName);
    }
  }
  step.end();

  // Mesh: one Indexed Job per repetition, on the free nodes only.
  const mesh = templates["lab-bench-mesh"];
  const meshPods = String(mesh.spec.jobTemplate.spec.completions);
  const meshPeers = envOf(mesh, "MESH_PEERS") ?? "?";
  step = options.step("mesh", repetitions);
  for (let rep = 1; rep <= repetitions; rep++) {
    await stillFree(meshNodes);
    const name = jobName("mesh");
    await create(jobFromTemplate(mesh, { name, namespace, run, nodes: meshNodes }));
    try {
      const ok = await finished(name, now() + (mesh.spec.jobTemplate.spec.activeDeadlineSeconds + 120) * 1000, step, rep - 1);
      const members = await podsOf(`job-name=${name}`);
      for (const pod of members.items) {
        const index = (pod.metadata as { annotations?: Record<string, string> }).annotations?.["batch.kubernetes.io/job-completion-index"] ?? "?";
        const log = await kubectl.run(["logs", "-n", namespace, pod.metadata.name]).catch(() => "");
        logs.push({ role: "mesh", labels: { pods: meshPods, peers: meshPeers, member: index, rep: String(rep) }, log, finishedAt: now() });
      }
      if (!ok) problems.push(`mesh ${name} (rep ${rep}) failed; its members' logs are kept`);
    } finally {
      await remove("job", name);
    }
    step.update(rep);
  }
  step.end();

  // Pod start: M pods at once, per scheduler, per repetition.
  const pause = templates["lab-bench-pod-start"];
  const annotations = pause.spec.jobTemplate.spec.template.metadata?.annotations ?? {};
  const schedulers = (annotations[SCHEDULERS_ANNOTATION] ?? "default-scheduler").split(" ").filter(Boolean);
  const count = Number(annotations[POD_COUNT_ANNOTATION] ?? 30);
  const timeoutMs = (pause.spec.jobTemplate.spec.activeDeadlineSeconds - 60) * 1000;
  step = options.step("pod start", schedulers.length * repetitions);
  done = 0;
  for (const scheduler of schedulers) {
    for (let rep = 1; rep <= repetitions; rep++) {
      await stillFree(meshNodes);
      const batch = jobName("ps");
      // Watch the batch before creating it: each pod's first event and its first Ready=True, on the client's clock (pod-latency.ts).
      const events: WatchEvent[] = [];
      const watch = await kubectl.watch(["get", "pods", "-n", namespace, "-l", `lab.benchmarks/batch=${batch}`, "--watch", "-o", `jsonpath=${WATCH_JSONPATH}`], (line, atMs) => {
        const event = watchEvent(line, atMs);
        if (event) events.push(event);
      });
      await sleep(watchSettleMs);
      await create(podStartPods(pause, { name: batch, namespace, run, nodes: meshNodes }, scheduler, count, batch));
      try {
        const deadline = now() + timeoutMs;
        let pods: PodJson[] = [];
        for (;;) {
          pods = (await podsOf(`lab.benchmarks/batch=${batch}`)).items;
          const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
          step.update(done, `${scheduler} rep ${rep}: ${ready}/${count} Ready`);
          if (ready >= count || now() > deadline) break;
          await sleep(pollMs);
        }
        podStart.push({ scheduler, rep, requested: count, pods, events: [...events], finishedAt: now() });
      } finally {
        watch.stop();
        await kubectl.run(["delete", "pods", "-n", namespace, "-l", `lab.benchmarks/batch=${batch}`, "--wait=true"]).catch(() => "");
      }
      step.update(++done);
    }
  }
  step.end();

  const environment = environmentOf(chosen.nodes.filter((n) => meshNodes.includes(n.metadata.name)), templates);
  return { raw: { run, labels: options.labels, startedAt, nodes: { pair: [nodeA, nodeB], mesh: meshNodes }, environment, logs, podStart }, problems };
}

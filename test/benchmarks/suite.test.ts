/**
 * The benchmark suite in the plan: off by default; when enabled, `npm run plan`'s program lists the
 * namespace, the pod-reader RBAC, the mesh service and one suspended CronJob template per benchmark,
 * every container pinned and bounded, every pod confined to the suite's pool and checking for team
 * pods; the policy pack finds nothing. Bad benchmark config fails with its path.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { benchmarkScript } from "../../components/benchmarks/scripts";
import { TEMPLATE_NAMES } from "../../components/benchmarks/templates";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { EXAMPLE_STACK, loadStackConfig, withChanges } from "../harness/fixtures";
import { runPlanCli } from "../harness/plan-cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-bench-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CRONJOB = "kubernetes:batch/v1:CronJob";
/** Eight templates: two servers, two clients (pod and host network), QoS, DNS, mesh, pod start. */
const TEMPLATES = [...TEMPLATE_NAMES].sort();
if (TEMPLATES.length !== 8) throw new Error(`expected 8 templates, have ${TEMPLATES.join(", ")}`);

/** The example stack with `lab:benchmarks` (and optionally the bandwidth scheduler) set. */
function stackFile(name: string, benchmarks: Record<string, unknown>, bandwidth: boolean): string {
  const doc = yaml.load(fs.readFileSync(EXAMPLE_STACK, "utf8")) as { config: Record<string, any> };
  doc.config["lab:benchmarks"] = benchmarks;
  doc.config["lab:network"] = { ...doc.config["lab:network"], bandwidth: { ...(doc.config["lab:network"]?.bandwidth ?? {}), enabled: bandwidth } };
  const file = path.join(tmp, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(doc));
  return file;
}

interface Plan {
  readonly status: number | null;
  readonly output: string;
  readonly entries: Array<{ type: string; name: string; inputs: any }>;
}

/** `npm run plan -- --config-file FILE --out DIR`, as an operator runs it (one process per plan: mocks are per process). */
function plan(name: string, file: string): Plan {
  const out = path.join(tmp, name);
  const cli = runPlanCli(["--config-file", file, "--out", out]);
  const resources = path.join(out, "resources.json");
  return { status: cli.status, output: cli.stdout + cli.stderr, entries: fs.existsSync(resources) ? JSON.parse(fs.readFileSync(resources, "utf8")) : [] };
}

describe("benchmark suite in the plan", () => {
  let enabled: Plan;
  const inputs = (type: string, name?: string) => enabled.entries.filter((e) => e.type === type && (name === undefined || e.inputs.metadata?.name === name)).map((e) => e.inputs as any);

  it("is off by default: the example plan has no benchmark objects", () => {
    const result = plan("default", EXAMPLE_STACK);
    expect(result.status, result.output).toBe(0);
    expect(result.entries.length).toBeGreaterThan(100);
    expect(result.entries.filter((e) => e.type.startsWith("lab:benchmarks:") || e.inputs?.metadata?.namespace === "lab-benchmarks")).toEqual([]);
  }, 120_000);

  it("when enabled, lists the suite with no policy violation", () => {
    enabled = plan("enabled", stackFile("enabled", { enabled: true }, true));
    expect(enabled.status, enabled.output).toBe(0);
    expect(fs.readFileSync(path.join(tmp, "enabled", "summary.md"), "utf8")).toContain("No policy violations.");
    expect(enabled.entries.filter((e) => e.type === "lab:benchmarks:BenchmarkSuite")).toHaveLength(1);
    expect(inputs(CRONJOB).filter((c) => c.metadata.namespace === "lab-benchmarks").map((c) => c.metadata.name).sort()).toEqual(TEMPLATES);
    const ns = inputs("kubernetes:core/v1:Namespace", "lab-benchmarks")[0];
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    const role = inputs("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "lab-benchmarks-pod-reader")[0];
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
    const binding = inputs("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "lab-benchmarks-pod-reader")[0];
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "lab-benchmarks", namespace: "lab-benchmarks" }]);
    expect(fs.readFileSync(path.join(tmp, "enabled", "summary.md"), "utf8")).toContain("lab:benchmarks:BenchmarkSuite");
  }, 120_000);

  it("every template is suspended, pinned, bounded, confined to the pool and tolerates only its taint", () => {
    expect(inputs(CRONJOB).filter((c) => c.metadata.namespace === "lab-benchmarks")).toHaveLength(TEMPLATES.length);
    for (const cron of inputs(CRONJOB).filter((c) => c.metadata.namespace === "lab-benchmarks")) {
      const name = cron.metadata.name;
      expect(cron.spec.suspend, name).toBe(true);
      const job = cron.spec.jobTemplate.spec;
      expect(job.backoffLimit, name).toBe(0);
      expect(job.activeDeadlineSeconds, name).toBeGreaterThan(0);
      const pod = job.template.spec;
      expect(pod.restartPolicy).toBe("Never");
      expect(pod.serviceAccountName).toBe("lab-benchmarks");
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchExpressions: [{ key: "lab.vac.dev/pool", operator: "In", values: ["experiments"] }] },
      ]);
      expect(pod.tolerations).toEqual([{ key: "lab.vac.dev/pool", operator: "Exists", effect: "NoSchedule" }]);
      for (const c of pod.containers) {
        expect(c.image, name).toMatch(/^(nicolaka\/netshoot:v0\.16|registry\.k8s\.io\/pause:3\.10)$/);
        for (const kind of ["requests", "limits"]) for (const r of ["cpu", "memory"]) expect(c.resources[kind][r], `${name} ${kind}.${r}`).toBeTruthy();
      }
    }
  });

  it("every template that measures runs the team-pod check on its node (and the client also on its peer)", () => {
    for (const cron of inputs(CRONJOB).filter((c) => c.metadata.namespace === "lab-benchmarks" && c.metadata.name !== "lab-bench-pod-start")) {
      const c = cron.spec.jobTemplate.spec.template.spec.containers[0];
      const script: string = c.command[2];
      expect(script, cron.metadata.name).toContain("node_free() {");
      expect(script).toMatch(/node_free "\$NODE_NAME" \|\| skip team_pods/);
      const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(env.NODE_NAME).toEqual({ fieldRef: { fieldPath: "spec.nodeName" } });
      expect(env.TEAM_NAMESPACES).toBe("dst nomos");
    }
    expect(benchmarkScript("client")).toMatch(/node_free "\$PEER_NODE" \|\| skip peer_busy/);
    // The pause pods of the pod-start test measure nothing on the node and get no API token.
    const pause = inputs(CRONJOB, "lab-bench-pod-start")[0].spec.jobTemplate.spec.template;
    expect(pause.spec.automountServiceAccountToken).toBe(false);
    expect(pause.metadata.annotations).toEqual({ "lab.benchmarks/schedulers": "default-scheduler vaclab-scheduler", "lab.benchmarks/pods": "30" });
  });

  it("host-network templates are the only ones on the host network; QoS carries the Kube-OVN egress annotation; the mesh is an Indexed Job spread over nodes", () => {
    const spec = (name: string) => inputs(CRONJOB, name)[0].spec.jobTemplate.spec;
    for (const name of TEMPLATES) expect(Boolean(spec(name).template.spec.hostNetwork), name).toBe(name.endsWith("-host"));
    expect(spec("lab-bench-qos").template.metadata.annotations).toEqual({ "ovn.kubernetes.io/egress_rate": "100" });
    const mesh = spec("lab-bench-mesh");
    expect(mesh).toMatchObject({ completionMode: "Indexed", completions: 8, parallelism: 8 });
    expect(mesh.template.spec.subdomain).toBe("lab-bench-mesh");
    expect(mesh.template.spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "kubernetes.io/hostname", maxSkew: 1 });
    const service = inputs("kubernetes:core/v1:Service", "lab-bench-mesh")[0];
    expect(service.spec).toMatchObject({ clusterIP: "None", selector: { "lab-bench-mesh": "member" } });
  });

  it("follows the config: pool, repetitions, images", () => {
    const result = plan("custom", stackFile("custom", { enabled: true, pool: "experiments", repetitions: 30, images: { network: "nicolaka/netshoot:v0.15" } }, false));
    expect(result.status, result.output).toBe(0);
    const client = result.entries.find((e) => e.type === CRONJOB && (e.inputs as any).metadata.name === "lab-bench-client")!.inputs as any;
    const c = client.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.image).toBe("nicolaka/netshoot:v0.15");
    expect(c.env).toContainEqual({ name: "REPETITIONS", value: "30" });
    // Without the bandwidth scheduler, only the default one is measured.
    const pause = result.entries.find((e) => e.type === CRONJOB && (e.inputs as any).metadata.name === "lab-bench-pod-start")!.inputs as any;
    expect(pause.spec.jobTemplate.spec.template.metadata.annotations["lab.benchmarks/schedulers"]).toBe("default-scheduler");
  }, 120_000);
});

describe("benchmark config errors name their path", () => {
  const problems = (change: (c: any) => void) => (validateConfig(withChanges(loadStackConfig(), change), "lab").problems ?? []).map(formatProblem);

  it("refuses a pool without nodes, a one-node pool, a team's namespace, unpinned images and too few pings", () => {
    expect(problems((c) => (c["lab:benchmarks"] = { enabled: true, pool: "nope" }))).toContain('lab:benchmarks.pool: pool "nope" has 0 node(s); cross-node measurements need at least 2');
    expect(problems((c) => (c["lab:benchmarks"] = { enabled: true, pool: "nomos" }))).toContain('lab:benchmarks.pool: pool "nomos" has 1 node(s); cross-node measurements need at least 2');
    expect(problems((c) => (c["lab:benchmarks"] = { enabled: true, namespace: "dst" }))).toContain('lab:benchmarks.namespace: "dst" is the namespace of lab:teams[0]');
    expect(problems((c) => (c["lab:benchmarks"] = { images: { network: "nicolaka/netshoot:latest" } })).join("\n")).toMatch(/^lab:benchmarks\.images\.network: must be pinned/m);
    expect(problems((c) => (c["lab:benchmarks"] = { latency: { count: 10 } })).join("\n")).toMatch(/^lab:benchmarks\.latency\.count: must be at least 100/m);
    expect(problems((c) => (c["lab:benchmarks"] = { enabled: true }))).toEqual([]);
  });
});

/**
 * Jobs and pods made from the suite's CronJob templates (components/benchmarks/templates.ts), the
 * way `kubectl create job --from=cronjob/NAME` does, plus what only a run knows: the node, the
 * target address, the run's name. And the choice of nodes: those of the suite's pool that are Ready,
 * schedulable and run no unfinished team pod.
 */

export const RUN_LABEL = "lab.benchmarks/run";
/** Which template a Job was made from (kubectl create job --from marks this with an annotation instead). */
export const TEMPLATE_LABEL = "lab.benchmarks/template";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export interface CronJobTemplate {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec: { readonly jobTemplate: { readonly spec: any } };
}

export interface Instance {
  /** Name of the Job (DNS-1123, at most 63 characters). */
  readonly name: string;
  readonly namespace: string;
  readonly run: string;
  /** Pin to this node (nodeSelector on the hostname label). */
  readonly node?: string;
  /** Or restrict to these nodes (added to the template's pool affinity). */
  readonly nodes?: readonly string[];
  /** Environment set or replaced in every container. */
  readonly env?: Readonly<Record<string, string>>;
}

function restrict(spec: any, instance: Instance): void {
  if (instance.node) spec.nodeSelector = { ...spec.nodeSelector, [HOSTNAME_LABEL]: instance.node };
  if (instance.nodes) {
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [{ matchExpressions: [] }];
    // Every term ANDs its expressions; add the node list to each, so the pool confinement stays.
    for (const term of terms) term.matchExpressions = [...(term.matchExpressions ?? []), { key: HOSTNAME_LABEL, operator: "In", values: [...instance.nodes] }];
    spec.affinity = { ...spec.affinity, nodeAffinity: { ...spec.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
  }
}

function withEnv(containers: any[], env: Readonly<Record<string, string>>): void {
  for (const c of containers) {
    const kept = (c.env ?? []).filter((e: { name: string }) => !(e.name in env));
    c.env = [...kept, ...Object.entries(env).map(([name, value]) => ({ name, value }))];
  }
}

/** A Job from a CronJob template, for one run. */
export function jobFromTemplate(template: CronJobTemplate, instance: Instance) {
  const spec = structuredClone(template.spec.jobTemplate.spec);
  const labels = { ...template.metadata.labels, [RUN_LABEL]: instance.run, [TEMPLATE_LABEL]: template.metadata.name };
  spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [RUN_LABEL]: instance.run } };
  restrict(spec.template.spec, instance);
  if (instance.env) withEnv(spec.template.spec.containers, instance.env);
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name: instance.name, namespace: instance.namespace, labels }, spec };
}

/**
 * `count` bare pods from the pod-start template, for one scheduler: created in one request, so they
 * all exist within a moment, as kube-burner's pod-density jobs do. Labelled with `batch` to find them.
 */
export function podStartPods(template: CronJobTemplate, instance: Instance, scheduler: string, count: number, batch: string) {
  const pod = template.spec.jobTemplate.spec.template;
  const items = Array.from({ length: count }, (_, i) => {
    const spec = structuredClone(pod.spec);
    spec.schedulerName = scheduler;
    restrict(spec, instance);
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `${instance.name}-${i}`, namespace: instance.namespace, labels: { ...pod.metadata?.labels, [RUN_LABEL]: instance.run, "lab.benchmarks/batch": batch } },
      spec,
    };
  });
  return { apiVersion: "v1", kind: "List", items };
}

export interface NodeJson {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: { readonly unschedulable?: boolean };
  readonly status?: {
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string }>;
    /** Versions the kubelet reports (kernelVersion, kubeletVersion, containerRuntimeVersion, osImage, ...). */
    readonly nodeInfo?: Readonly<Record<string, string>>;
  };
}

export interface PodSummary {
  readonly metadata: { readonly namespace: string; readonly name: string };
  readonly spec?: { readonly nodeName?: string };
  readonly status?: { readonly phase?: string };
}

/** Nodes of `pool` that are Ready, schedulable and run no unfinished pod of a team namespace; sorted, with why the others are not. */
export function freeNodes(
  nodes: readonly NodeJson[],
  pods: readonly PodSummary[],
  poolLabel: string,
  pool: string,
  teamNamespaces: readonly string[],
): { free: string[]; excluded: string[] } {
  const free: string[] = [];
  const excluded: string[] = [];
  for (const node of [...nodes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const name = node.metadata.name;
    if (node.metadata.labels?.[poolLabel] !== pool) continue;
    const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    const team = pods.find((p) => p.spec?.nodeName === name && teamNamespaces.includes(p.metadata.namespace) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    if (!ready) excluded.push(`${name}: not Ready`);
    else if (node.spec?.unschedulable) excluded.push(`${name}: cordoned`);
    else if (team) excluded.push(`${name}: runs team pod ${team.metadata.namespace}/${team.metadata.name}`);
    else free.push(name);
  }
  return { free, excluded };
}

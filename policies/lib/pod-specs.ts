/** Where each workload type keeps its pod template, and the containers in it. */

/** Path from the resource's props to its pod spec, by type token. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

export interface ContainerAt {
  /** e.g. `spec.template.spec.initContainers[0] "init"`, for messages. */
  readonly where: string;
  readonly container: Record<string, any>;
}

/** Containers and init containers of a workload's pod template (none when the type has no template). */
export function containersOf(type: string, props: Record<string, any>): ContainerAt[] {
  const path = POD_SPEC_PATHS[type];
  if (!path) return [];
  let spec: any = props;
  for (const key of path) spec = spec?.[key];
  const found: ContainerAt[] = [];
  for (const list of ["initContainers", "containers"] as const) {
    const containers = Array.isArray(spec?.[list]) ? spec[list] : [];
    containers.forEach((c: Record<string, any>, i: number) =>
      found.push({ where: `${path.join(".")}.${list}[${i}]${c?.name ? ` "${c.name}"` : ""}`, container: c ?? {} }),
    );
  }
  return found;
}

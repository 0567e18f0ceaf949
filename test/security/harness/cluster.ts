/**
 * The cluster as the attack tests see it: the admission policies, bindings, namespaces and roles the
 * lab program generates (recorded under mocks), the identities that send requests, and builders
 * of the admission requests the API server would evaluate.
 */
import type { ResourceRecord } from "../../../tools/plan/recorder";
import { plainInputs, type LabRun } from "../../harness/pulumi";
import { admit, type AdmissionRequest, type Manifest, type UserInfo, type Verdict } from "./admission";

export const TYPES = {
  vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
  vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
  namespace: "kubernetes:core/v1:Namespace",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  limitRange: "kubernetes:core/v1:LimitRange",
  helmChart: "kubernetes:helm.cattle.io/v1:HelmChart",
  secret: "kubernetes:core/v1:Secret",
} as const;

/** A service account's identity as the API server authenticates it. */
export const sa = (ns: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${ns}:${name}`,
  groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
});

/** Who sends requests. The stack is the k3s admin certificate (CN=system:admin, O=system:masters). */
export const IDENTITY = {
  stack: { username: "system:admin", groups: ["system:masters", "system:authenticated"] },
  /** The Fleet agent's own client (namespace labels/annotations, deleteNamespace). */
  fleetAgent: sa("cattle-fleet-system", "fleet-agent"),
  /** A team's bundles, applied by the agent impersonating the team's service account. */
  teamDeployer: (team: string) => sa("cattle-fleet-system", `team-${team}`),
  /** Pods of a Deployment are created by the ReplicaSet controller. */
  replicaSetController: sa("kube-system", "replicaset-controller"),
  teamMember: (team: string) => ({ username: `alice@${team}`, groups: [`${team}-devs`, "system:authenticated"] }),
  vmOperator: sa("monitoring", "vmks-victoria-metrics-operator"),
} as const satisfies Record<string, UserInfo | ((team: string) => UserInfo)>;

/** The generated objects of one lab run that admission reads. */
export class GeneratedCluster {
  readonly policies: Manifest[];
  readonly bindings: Manifest[];

  constructor(readonly run: LabRun) {
    this.policies = run.ofType(TYPES.vap).map((r) => plainInputs(r));
    this.bindings = run.ofType(TYPES.vapBinding).map((r) => plainInputs(r));
  }

  inputs(type: string): any[] {
    return this.run.ofType(type).map((r: ResourceRecord) => plainInputs(r));
  }

  /** A namespace as the API server stores it: the stack's metadata plus `kubernetes.io/metadata.name`. */
  namespace(name: string): Record<string, any> {
    const ns = this.inputs(TYPES.namespace).find((n) => n.metadata.name === name);
    const metadata = ns?.metadata ?? { name };
    return {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { ...metadata, labels: { ...(metadata.labels ?? {}), "kubernetes.io/metadata.name": name }, annotations: { ...(metadata.annotations ?? {}) } },
    };
  }

  admit(req: AdmissionRequest): Verdict {
    return admit(this.policies, this.bindings, req);
  }
}

const CORE = (resource: string) => ({ group: "", version: "v1", resource });

/** UPDATE of a namespace from `before` to `after` by `user`. */
export function namespaceUpdate(user: UserInfo, before: Record<string, any>, after: Record<string, any>): AdmissionRequest {
  // The API server re-adds kubernetes.io/metadata.name on every write (namespace strategy), before validation.
  const stored = { ...after, metadata: { ...after.metadata, labels: { ...(after.metadata.labels ?? {}), "kubernetes.io/metadata.name": after.metadata.name } } };
  return { operation: "UPDATE", resource: CORE("namespaces"), name: after.metadata.name, namespace: "", object: stored, oldObject: before, userInfo: user, namespaceObject: null };
}

export function namespaceDelete(user: UserInfo, ns: Record<string, any>): AdmissionRequest {
  return { operation: "DELETE", resource: CORE("namespaces"), name: ns.metadata.name, namespace: "", object: null, oldObject: ns, userInfo: user, namespaceObject: ns };
}

/** CREATE (or UPDATE, with `old`) of a namespaced object in namespace `ns`. */
export function namespacedWrite(
  user: UserInfo,
  resource: { group: string; version: string; resource: string },
  ns: Record<string, any>,
  object: Record<string, any>,
  old: Record<string, any> | null = null,
  subResource?: string,
): AdmissionRequest {
  const namespaced = { ...object, metadata: { ...object.metadata, namespace: ns.metadata.name } };
  return {
    operation: old ? "UPDATE" : "CREATE",
    resource,
    subResource,
    name: object.metadata.name,
    namespace: ns.metadata.name,
    object: namespaced,
    oldObject: old,
    userInfo: user,
    namespaceObject: ns,
  };
}

export const POD = CORE("pods");
export const SERVICE = CORE("services");

/**
 * The securityContext of a container that cannot open raw sockets (issue 20 way 9): what Pod
 * Security `restricted`, which team namespaces warn on, asks of every container anyway.
 */
export const NO_RAW_SOCKETS = { capabilities: { drop: ["ALL"] } } as const;

/** A container as a team writes it under the lab's pod policy. */
export function container(name: string, extra: Record<string, any> = {}): Record<string, any> {
  return { name, image: "busybox:1.36.1", securityContext: NO_RAW_SOCKETS, ...extra };
}

/** A pod as the ReplicaSet controller creates it, after the admission plugins defaulted it. */
export function pod(name: string, spec: Record<string, any>, labels: Record<string, string> = { app: name }): Record<string, any> {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { containers: [container("main")], ...spec } };
}

/** A dst pod as its ReplicaSet creates it on the experiments pool (placement defaulted), with annotations; `nodeName` once scheduled. */
export function dstPod(name: string, annotations: Record<string, string>, nodeName?: string, spec: Record<string, any> = {}): Record<string, any> {
  const p = pod(name, {
    nodeSelector: { "lab.vac.dev/team-dst": "true" },
    tolerations: [{ key: "lab.vac.dev/pool", operator: "Equal", value: "experiments", effect: "NoSchedule" }],
    ...(nodeName ? { nodeName } : {}),
    ...spec,
  });
  return { ...p, metadata: { ...p.metadata, annotations } };
}

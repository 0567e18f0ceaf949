/**
 * CEL rules of the team pod policy (tenant-policies.ts podGuard) that look past placement labels:
 * affinity terms, Kube-OVN QoS values, raw sockets, and what an UPDATE may keep. Each is a pure
 * function of the model returning a CEL condition over `object`, `oldObject` and `request`.
 *
 * Pod fields these rules read are immutable after creation except where noted (kubernetes v1.32
 * pkg/apis/core/validation ValidatePodUpdate: only container images, activeDeadlineSeconds,
 * terminationGracePeriodSeconds, added tolerations and removed scheduling gates may change; ephemeral
 * containers are added through `pods/ephemeralcontainers`; metadata may change through `pods` and
 * `pods/status`). So an UPDATE is judged on what it changes: an update that changes no placement
 * (a Job controller removing its finalizer, the kubelet writing status, a label edit) stays admitted
 * after a lease has ended or a rule has tightened.
 */
import { celList, celString } from "./cel";
import { POD_QOS_ANNOTATIONS } from "./network-annotations";

/** Kube-OVN v1.15.4 pkg/util/const.go: `port_security: "true"` locks the pod's port to its own MAC and IPs. */
export const PORT_SECURITY_ANNOTATION = "ovn.kubernetes.io/port_security";

/**
 * CEL: toleration `t` of `object` is allowed, or (on UPDATE) the pod already had it. Kubernetes lets
 * an update only add tolerations, so the ones a pod kept are those it was admitted with — e.g. the
 * lease pool's, after the lease ended (the node is back home, untainted by it, and no longer
 * carries the team's access label: the toleration places nothing).
 */
export function tolerationKept(t: string): string {
  return `(request.operation == 'UPDATE' && oldObject != null && has(oldObject.spec.tolerations) && ${t} in oldObject.spec.tolerations)`;
}

const AFFINITY_KINDS = ["podAffinity", "podAntiAffinity"] as const;

/**
 * CEL: every pod (anti-)affinity term, required and preferred, selects pods of `namespace` only —
 * no `namespaceSelector` (even `{}` means every namespace) and `namespaces` naming only
 * `namespace`. A required anti-affinity term that selected other namespaces' pods would keep them
 * off every node in its topology (kubernetes v1.32 pkg/scheduler/framework/plugins/interpodaffinity
 * filtering.go satisfyExistingPodsAntiAffinity: an existing pod's anti-affinity repels incoming
 * pods of any namespace its term selects).
 */
export function affinityTermsOwnNamespace(namespace: string): string {
  const own = (t: string) => `(!has(${t}.namespaceSelector) && (!has(${t}.namespaces) || ${t}.namespaces.all(n, n == ${celString(namespace)})))`;
  const checks = AFFINITY_KINDS.flatMap((kind) => {
    const base = `object.spec.affinity.${kind}`;
    return [
      `(!has(${base}.requiredDuringSchedulingIgnoredDuringExecution) || ${base}.requiredDuringSchedulingIgnoredDuringExecution.all(t, ${own("t")}))`,
      `(!has(${base}.preferredDuringSchedulingIgnoredDuringExecution) || ${base}.preferredDuringSchedulingIgnoredDuringExecution.all(w, ${own("w.podAffinityTerm")}))`,
    ].map((c) => `(!has(object.spec.affinity.${kind}) || ${c})`);
  });
  // Affinity is immutable once the pod exists: judged at creation only.
  return `request.operation != 'CREATE' || !has(object.spec.affinity) || (${checks.join(" && ")})`;
}

/** Kube-OVN's rate annotations (Mbit/s), bounded by the team's share. */
const RATE_ANNOTATIONS = ["ovn.kubernetes.io/ingress_rate", "ovn.kubernetes.io/egress_rate"] as const;
/** Upper bounds of the netem annotations: latency and jitter in ms, limit in packets, loss in percent. */
export const NETEM_BOUNDS = { "ovn.kubernetes.io/latency": 60000, "ovn.kubernetes.io/jitter": 60000, "ovn.kubernetes.io/limit": 1000000000 } as const;

/** CEL: annotation `k` of `object` is a whole number of at most `max` (no sign, no fraction). */
const wholeAtMost = (value: string, max: number) => `(${value}.matches('^[0-9]{1,10}$') && int(${value}) <= ${max})`;

/** CEL: every Kube-OVN QoS annotation of `object` has a value in its range. */
export function qosValuesBounded(maxPodMbps: number): string {
  const a = "object.metadata.annotations";
  const present = (k: string) => `(${celString(k)} in ${a})`;
  const checks = [
    ...RATE_ANNOTATIONS.map((k) => `(!${present(k)} || ${wholeAtMost(`${a}[${celString(k)}]`, maxPodMbps)})`),
    ...Object.entries(NETEM_BOUNDS).map(([k, max]) => `(!${present(k)} || ${wholeAtMost(`${a}[${celString(k)}]`, max)})`),
    `(!${present("ovn.kubernetes.io/loss")} || (${a}['ovn.kubernetes.io/loss'].matches('^[0-9]{1,3}(\\\\.[0-9]{1,6})?$') && double(${a}['ovn.kubernetes.io/loss']) <= 100.0))`,
  ];
  return `!has(${a}) || (${checks.join(" && ")})`;
}

/** CEL: no QoS annotation of `object` differs from `oldObject`'s (added, removed or changed). */
function qosUnchanged(): string {
  const side = (x: string, k: string) => `(has(${x}.metadata.annotations) && ${k} in ${x}.metadata.annotations)`;
  return `${celList(POD_QOS_ANNOTATIONS)}.all(k, ${side("object", "k")} == ${side("oldObject", "k")} && (!${side("object", "k")} || object.metadata.annotations[k] == oldObject.metadata.annotations[k]))`;
}

/**
 * CEL: the QoS annotations are within range when the pod is created or changed before it is
 * scheduled (an update that leaves them as they were passes), and never change once it has a node (the bandwidth scheduler placed it by them;
 * Kube-OVN would reshape its interface in place).
 */
export function qosRule(maxPodMbps: number): string {
  return (
    `request.operation == 'CREATE' ? (${qosValuesBounded(maxPodMbps)}) : ` +
    `((has(oldObject.spec.nodeName) && oldObject.spec.nodeName != '') ? (${qosUnchanged()}) : (${qosUnchanged()} || (${qosValuesBounded(maxPodMbps)})))`
  );
}

/** CEL: container `c` cannot open raw sockets: it drops NET_RAW (or ALL) and adds neither. */
function dropsNetRaw(c: string): string {
  const caps = `${c}.securityContext.capabilities`;
  return (
    `(has(${c}.securityContext) && has(${caps}) && has(${caps}.drop) && ${caps}.drop.exists(d, d == 'NET_RAW' || d == 'ALL') && ` +
    `(!has(${caps}.add) || !${caps}.add.exists(a, a == 'NET_RAW' || a == 'ALL')))`
  );
}

/**
 * CEL: the pod cannot send packets with another pod's source address: Kube-OVN port security on
 * (`ovn.kubernetes.io/port_security: "true"` locks its port to its own MAC and IPs), or no
 * container can open raw sockets (Pod Security baseline keeps NET_RAW among the default
 * capabilities, kubernetes v1.32 pod-security-admission policy/check_capabilities_baseline.go).
 * On UPDATE only ephemeral containers are new (the others are immutable): each new one must
 * drop NET_RAW unless the port is locked.
 */
export function noSpoofingRule(): string {
  const locked = `(has(object.metadata.annotations) && ${celString(PORT_SECURITY_ANNOTATION)} in object.metadata.annotations && object.metadata.annotations[${celString(PORT_SECURITY_ANNOTATION)}] == 'true')`;
  const all = ["containers", "initContainers", "ephemeralContainers"]
    .map((kind) => `(!has(object.spec.${kind}) || object.spec.${kind}.all(c, ${dropsNetRaw("c")}))`)
    .join(" && ");
  const newEphemeral =
    "(!has(object.spec.ephemeralContainers) || object.spec.ephemeralContainers.all(c, " +
    `(has(oldObject.spec.ephemeralContainers) && oldObject.spec.ephemeralContainers.exists(o, o.name == c.name)) || ${dropsNetRaw("c")}))`;
  return `${locked} || (request.operation == 'CREATE' ? (${all}) : ${newEphemeral})`;
}

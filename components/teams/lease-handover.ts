/**
 * Handover at a lease boundary, by draining from the first server: after a leased node's patch has
 * moved it (new pool label and taint, so nothing new of the previous users lands there), one
 * command deletes the pods that team namespaces no longer entitled to the node still run on it,
 * each with a bounded grace period. It runs when the node's entitled teams change, i.e. at each
 * boundary (its trigger), at the start for the lenders and at the end for the borrower.
 *
 * Why not a `NoExecute` taint: the node patches (node-pools.ts) own one `NoSchedule` pool taint; a
 * `NoExecute` one would also evict every DaemonSet that does not tolerate it (node_exporter, the
 * calibration iperf3 server), and at the lease's end the borrower, which tolerated the lease taint,
 * would keep running on the returned node. Deleting (not evicting) the pods bounds the time: a
 * PodDisruptionBudget could hold an eviction forever (kubernetes.io docs, "API-initiated eviction"),
 * and finalizers left on the pods are removed after the grace period (handoverScript).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import type { LabModel, NodeModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { KUBECTL, shellQuote } from "../shared/readiness-gate";

/** Seconds each deleted pod gets to stop (`kubectl delete --grace-period`, which overrides the pod's own terminationGracePeriodSeconds). */
export const HANDOVER_GRACE_SECONDS = 120;
/** Seconds past the grace period the drain waits for the kubelets before it removes what holds pods back. */
export const HANDOVER_SLACK_SECONDS = 60;
/** Seconds the drain waits once more after removing finalizers, and after a forced delete. */
export const HANDOVER_FINAL_WAIT_SECONDS = 30;
/** Longest a handover can run: grace + slack, then two final waits, plus room for the listing calls. */
export const HANDOVER_TIMEOUT_SECONDS = HANDOVER_GRACE_SECONDS + HANDOVER_SLACK_SECONDS + 2 * HANDOVER_FINAL_WAIT_SECONDS + 60;

/** Teams allowed on the node at the model's instant: the borrower during a lease, else its pool's teams. */
export function entitledTeams(model: Pick<LabModel, "pools">, node: NodeModel): string[] {
  return [...(model.pools.find((p) => p.name === node.pool)?.teams ?? [])].sort();
}

/**
 * The drain: for every team namespace (label `<labelDomain>/team`) not in `entitled`, delete its pods
 * on `node` with a grace period of `graceSeconds`, and make sure they are gone. `KUBECTL` may be
 * overridden (tests); on the server it is `sudo k3s kubectl`.
 *
 * What a tenant could hold it up with, and what the drain does about each:
 * - a PodDisruptionBudget: the drain deletes, never evicts (API-initiated eviction honours PDBs);
 * - a finalizer on a pod (its own, or a Job's tracking finalizer the Job controller cannot remove):
 *   every namespace's pods are deleted first without waiting, so one namespace never holds up the
 *   next; after the grace period and `HANDOVER_SLACK_SECONDS`, the finalizers of what is left are
 *   removed (kubernetes/kubernetes#114366: a finalizer holds a terminating pod for ever), and what
 *   still stands after `HANDOVER_FINAL_WAIT_SECONDS` is force-deleted (the kubelet then kills the
 *   containers of pods it no longer finds in the API).
 * It fails (exit 1, naming the pods) only if pods of a namespace not entitled are still there at
 * the end; an error of one namespace's listing or deletion does not stop the others.
 */
export function handoverScript(node: string, entitled: readonly string[], labelDomain: string, graceSeconds = HANDOVER_GRACE_SECONDS): string {
  const onNode = '$KUBECTL -n "$ns" get pods --field-selector "spec.nodeName=$NODE" -o name';
  /** Runs `body` for every namespace with pods left on the node, `$pods` set to them. */
  const eachLeft = (body: string[]) => ["for ns in $DRAINED; do", `  pods=$(${onNode}) || { failed=1; continue; }`, '  [ -n "$pods" ] || continue', ...body.map((l) => `  ${l}`), "done"];
  return [
    "set -eu",
    `KUBECTL="\${KUBECTL:-${KUBECTL}}"`,
    `NODE=${shellQuote(node)}`,
    `ENTITLED=${shellQuote(` ${entitled.join(" ")} `)}`,
    "DRAINED=''",
    "failed=0",
    `deadline=$(( $(date +%s) + ${graceSeconds + HANDOVER_SLACK_SECONDS} ))`,
    `for ns in $($KUBECTL get namespaces -l ${shellQuote(labKey(labelDomain, KEY_SUFFIX.team))} -o 'jsonpath={.items[*].metadata.name}'); do`,
    '  case "$ENTITLED" in *" $ns "*) continue ;; esac',
    `  pods=$(${onNode}) || { failed=1; continue; }`,
    '  [ -n "$pods" ] || continue',
    '  DRAINED="$DRAINED $ns"',
    '  echo "handover of $NODE: deleting the pods of $ns:" $pods',
    `  $KUBECTL -n "$ns" delete $pods --grace-period=${graceSeconds} --wait=false || failed=1`,
    "done",
    "# Wait for the kubelets until the deadline, all namespaces together.",
    ...eachLeft(['left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ] || left=1', '$KUBECTL -n "$ns" wait --for=delete $pods --timeout="${left}s" >/dev/null 2>&1 || true']),
    "# A finalizer holds a deleted pod for ever: remove it from what is left.",
    ...eachLeft([
      'echo "handover of $NODE: removing the finalizers of" $pods',
      `for pod in $pods; do $KUBECTL -n "$ns" patch "$pod" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null || true; done`,
      `$KUBECTL -n "$ns" wait --for=delete $pods --timeout=${HANDOVER_FINAL_WAIT_SECONDS}s >/dev/null 2>&1 || true`,
    ]),
    "# A kubelet that does not answer: remove the pods from the API; it kills their containers when it finds them gone.",
    ...eachLeft([
      'echo "handover of $NODE: force-deleting" $pods',
      `$KUBECTL -n "$ns" delete $pods --grace-period=0 --force --wait=true --timeout=${HANDOVER_FINAL_WAIT_SECONDS}s >/dev/null 2>&1 || true`,
    ]),
    ...eachLeft(['echo "handover of $NODE: pods of $ns still there:" $pods >&2', "failed=1"]),
    'exit "$failed"',
    "",
  ].join("\n");
}

export interface LeaseHandoverArgs {
  readonly model: LabModel;
  readonly access: ClusterAccess;
  /** The node patches (NodePools.patches): the drain runs after the node has moved. */
  readonly patches: Readonly<Record<string, pulumi.Resource>>;
}

/** One drain command per node named in `lab:leases`, re-run whenever the node's entitled teams change. */
export class LeaseHandover extends pulumi.ComponentResource {
  constructor(name: string, args: LeaseHandoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:teams:LeaseHandover", name, {}, opts);
    const { model } = args;
    const leased = new Set(model.leases.flatMap((l) => l.nodes));
    for (const node of model.nodes.filter((n) => leased.has(n.name))) {
      const entitled = entitledTeams(model, node);
      new command.remote.Command(
        `${name}-${node.name}`,
        {
          connection: args.access.gateConnection,
          create: handoverScript(node.name, entitled, model.cluster.labelDomain),
          triggers: [node.pool, ...entitled],
          logging: "stdoutAndStderr",
        },
        {
          parent: this,
          dependsOn: [args.patches[node.name]],
          customTimeouts: { create: `${HANDOVER_TIMEOUT_SECONDS + 60}s`, update: `${HANDOVER_TIMEOUT_SECONDS + 60}s` },
        },
      );
    }
    this.registerOutputs({});
  }
}

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
 * PodDisruptionBudget could hold an eviction forever (kubernetes.io docs, "API-initiated eviction").
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { KEY_SUFFIX, labKey } from "../../config/conventions";
import type { LabModel, NodeModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { KUBECTL, shellQuote } from "../shared/readiness-gate";

/** Seconds each deleted pod gets to stop (`kubectl delete --grace-period`, which overrides the pod's own terminationGracePeriodSeconds). */
export const HANDOVER_GRACE_SECONDS = 120;

/** Teams allowed on the node at the model's instant: the borrower during a lease, else its pool's teams. */
export function entitledTeams(model: Pick<LabModel, "pools">, node: NodeModel): string[] {
  return [...(model.pools.find((p) => p.name === node.pool)?.teams ?? [])].sort();
}

/**
 * The drain: for every team namespace (label `<labelDomain>/team`) not in `entitled`, delete its pods
 * on `node` with a grace period of `graceSeconds`, and wait for them to be gone. `KUBECTL` may be
 * overridden (tests); on the server it is `sudo k3s kubectl`.
 */
export function handoverScript(node: string, entitled: readonly string[], labelDomain: string, graceSeconds = HANDOVER_GRACE_SECONDS): string {
  return [
    "set -eu",
    `KUBECTL="\${KUBECTL:-${KUBECTL}}"`,
    `NODE=${shellQuote(node)}`,
    `ENTITLED=${shellQuote(` ${entitled.join(" ")} `)}`,
    `for ns in $($KUBECTL get namespaces -l ${shellQuote(labKey(labelDomain, KEY_SUFFIX.team))} -o 'jsonpath={.items[*].metadata.name}'); do`,
    '  case "$ENTITLED" in *" $ns "*) continue ;; esac',
    `  pods=$($KUBECTL -n "$ns" get pods --field-selector "spec.nodeName=$NODE" -o name)`,
    '  [ -n "$pods" ] || continue',
    '  echo "handover of $NODE: deleting the pods of $ns:" $pods',
    `  $KUBECTL -n "$ns" delete $pods --grace-period=${graceSeconds} --wait=true --timeout=${graceSeconds + 60}s`,
    "done",
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
          customTimeouts: { create: `${HANDOVER_GRACE_SECONDS + 120}s`, update: `${HANDOVER_GRACE_SECONDS + 120}s` },
        },
      );
    }
    this.registerOutputs({});
  }
}

import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";

export interface ReadinessCheck {
  /** What is awaited, for the timeout message, e.g. "CRD subnets.kubeovn.io established". */
  readonly description: string;
  /** Shell command on the first server that exits 0 once the condition holds. */
  readonly command: string;
}

export interface ReadinessGateArgs {
  /** SSH connection to a server, where `k3s kubectl` talks to the local API server. */
  readonly connection: pulumi.Input<Connection>;
  /** Conditions that must all hold, checked in order. */
  readonly checks: readonly ReadinessCheck[];
  /** Seconds to wait for all checks together. Defaults to 900. */
  readonly timeoutSeconds?: number;
  /** Values whose change re-runs the gate (e.g. the chart's version and values). */
  readonly triggers?: pulumi.Input<unknown>[];
}

/** `k3s kubectl` as root on a server: the admin kubeconfig is root-only. */
export const KUBECTL = "sudo k3s kubectl";

export function crdEstablished(crd: string): ReadinessCheck {
  return { description: `CRD ${crd} established`, command: `${KUBECTL} wait --for=condition=established --timeout=10s crd/${crd}` };
}

export function rolledOut(kind: "deployment" | "daemonset" | "statefulset", namespace: string, name: string): ReadinessCheck {
  return {
    description: `${kind} ${namespace}/${name} rolled out`,
    command: `${KUBECTL} -n ${namespace} rollout status ${kind}/${name} --timeout=10s`,
  };
}

/** One shell word: single-quoted, embedded quotes closed and escaped. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

/** The gate's script: polls each check until it passes or the deadline, then fails naming what was awaited. */
export function gateScript(name: string, checks: readonly ReadinessCheck[], timeoutSeconds: number, pollSeconds = 5): string {
  const lines = [
    "set -u",
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    "await() {",
    '  until sh -c "$2" >/dev/null 2>&1; do',
    '    if [ "$(date +%s)" -ge "$deadline" ]; then',
    `      echo "readiness gate ${name}: timed out after ${timeoutSeconds}s waiting for: $1" >&2`,
    "      exit 1",
    "    fi",
    `    sleep ${pollSeconds}`,
    "  done",
    '  echo "ready: $1"',
    "}",
    ...checks.map((c) => `await ${shellQuote(c.description)} ${shellQuote(c.command)}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Blocks dependents until a chart's CRDs and workloads are ready, so custom resources are never
 * applied before their CRD exists. Runs on a server over SSH; a timeout fails `pulumi up` with a
 * message naming the condition that did not hold.
 */
export class ReadinessGate extends pulumi.ComponentResource {
  constructor(name: string, args: ReadinessGateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:shared:ReadinessGate", name, {}, opts);
    const timeoutSeconds = args.timeoutSeconds ?? 900;
    new command.remote.Command(
      `${name}-wait`,
      {
        connection: args.connection,
        create: gateScript(name, args.checks, timeoutSeconds),
        triggers: args.triggers ?? [],
        logging: "stderr",
      },
      {
        parent: this,
        // A component's dependsOn does not reach its children in the engine's graph; the wait must.
        dependsOn: opts?.dependsOn,
        customTimeouts: { create: `${timeoutSeconds + 60}s`, update: `${timeoutSeconds + 60}s` },
      },
    );
    this.registerOutputs({});
  }
}

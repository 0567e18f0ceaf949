import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel, NodeModel } from "../../config/model";
import { sshConnection } from "../shared/connection";
import { BOOTSTRAP_PLAYBOOK, RESET_PLAYBOOK, sha256 } from "./ansible-files";
import { ansibleEnvironment, ansiblePlaybookScript } from "./ansible-run";

export interface MetalHostArgs {
  /** The machine: its name (also the Ansible host and the Kubernetes node name), address and role. */
  readonly node: Pick<NodeModel, "name" | "address" | "role">;
  /** SSH login (user, port) shared by every machine. */
  readonly ssh: LabModel["ssh"];
  /** The SSH private key; must be a secret Output. */
  readonly sshPrivateKey: pulumi.Output<string>;
  /** This host's slice of the generated inventory as YAML (see `hostInventory`). */
  readonly inventory: string;
  /** Inventory of the reset playbook as YAML: the host and the server it is drained from (see `resetInventory`). */
  readonly resetInventory: string;
  /** Digest of the Ansible files this host's plays read (see `runDigest`). */
  readonly ansibleDigest: string;
  /** Secret extra vars of the bootstrap playbook as a JSON object (the k3s token); must be secret. */
  readonly secretVars: pulumi.Output<string>;
  /** How long the machine may take to accept SSH (a machine still booting). Default "20m". */
  readonly sshTimeout?: string;
  /** How long one bootstrap playbook run may take. Default "60m". */
  readonly playbookTimeout?: string;
  /** How long draining and uninstalling may take when the node leaves. Default "30m". */
  readonly resetTimeout?: string;
}

/** The script that waits for SSH also proves passwordless sudo, so a bad login fails early and clearly. */
export const SUDO_CHECK =
  'sudo -n true || { echo "$(id -un)@$(hostname): passwordless sudo is required for the lab\'s SSH user" >&2; exit 1; }';

/**
 * One bare-metal machine in the lab: waits until it accepts SSH, then plays the bootstrap playbook on
 * it from the control machine (host preparation, firewall, k3s). The run's triggers are the hash of
 * this host's inventory slice and of the Ansible files its plays read, so an edit re-runs exactly the
 * hosts it affects. When the node leaves the config, its `leave` command drains it from the first
 * server and uninstalls k3s.
 */
export class MetalHost extends pulumi.ComponentResource {
  /** Changes whenever the bootstrap playbook (re-)ran on this host. */
  public readonly runId: pulumi.Output<string>;

  constructor(name: string, args: MetalHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:bootstrap:MetalHost", name, {}, opts);
    const { node } = args;

    const sshReady = new command.remote.Command(
      `${name}-ssh`,
      {
        // Retry the dial until the timeout: a machine that is still booting refuses connections for a while.
        connection: sshConnection(node.address, args.ssh, args.sshPrivateKey, { dialErrorLimit: -1 }),
        create: SUDO_CHECK,
        logging: "stderr",
      },
      {
        parent: this,
        // Children do not inherit a component's dependsOn; forwarding it to the head of the chain
        // records the order (first server, other servers, agents) in the engine's graph, which also
        // orders deletes: agents leave before the servers they drain from.
        dependsOn: opts?.dependsOn,
        customTimeouts: { create: args.sshTimeout ?? "20m", update: args.sshTimeout ?? "20m" },
      },
    );

    const bootstrap = new command.local.Command(
      `${name}-bootstrap`,
      {
        create: ansiblePlaybookScript({ playbook: BOOTSTRAP_PLAYBOOK, limit: node.name }),
        // Secrets in the environment (the whole map becomes secret); the inventory on stdin stays
        // visible in previews and plan diffs.
        environment: ansibleEnvironment(args.ssh, args.sshPrivateKey, args.secretVars),
        stdin: args.inventory,
        // A trigger change replaces the command, i.e. plays the (idempotent) playbook again.
        triggers: [sha256(args.inventory), args.ansibleDigest],
        // Ansible's output can echo secrets of failing tasks: keep it out of the log and the state.
        logging: "stderr",
      },
      {
        parent: this,
        dependsOn: [sshReady],
        additionalSecretOutputs: ["stdout", "stderr"],
        customTimeouts: { create: args.playbookTimeout ?? "60m", update: args.playbookTimeout ?? "60m" },
      },
    );

    // Leaving is its own resource: a re-run of the bootstrap replaces that command, and a replacement
    // must never uninstall k3s. This one has no triggers, so only the node's removal deletes it.
    new command.local.Command(
      `${name}-leave`,
      {
        create: "true",
        delete: ansiblePlaybookScript({ playbook: RESET_PLAYBOOK, limit: node.name }),
        environment: ansibleEnvironment(args.ssh, args.sshPrivateKey, pulumi.secret("{}")),
        // The delete runs with the inputs kept in the state, stdin included.
        stdin: args.resetInventory,
        logging: "stderr",
        addPreviousOutputInEnv: false,
      },
      {
        parent: this,
        dependsOn: [bootstrap],
        additionalSecretOutputs: ["stdout", "stderr"],
        customTimeouts: { delete: args.resetTimeout ?? "30m" },
      },
    );

    this.runId = bootstrap.id;
    this.registerOutputs({ runId: this.runId });
  }
}

import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { durationSeconds, formatSeconds } from "../../config/duration";
import type { LabModel, NodeModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { sshConnection } from "../shared/connection";
import { KUBECTL, ReadinessGate } from "../shared/readiness-gate";
import { ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, runDigest } from "./ansible-files";
import { ansibleSecretVars } from "./ansible-run";
import { buildInventory, dumpInventory, hostInventory, resetInventory, roleGroup } from "./inventory";
import { K3S_KUBECONFIG_PATH, rewriteKubeconfig } from "./kubeconfig";
import { MetalHost } from "./metal-host";

export interface K3sClusterArgs {
  /** The lab model: nodes, cluster settings, SSH login, host preparation. */
  readonly model: LabModel;
  /** The SSH private key for every machine; must be a secret Output. */
  readonly sshPrivateKey: pulumi.Output<string>;
  /** The Ansible directory whose files are hashed into the triggers. Default: the repository's `ansible/`. */
  readonly ansibleDir?: string;
  /** How long all nodes together may take to register with the API server. Default 600 (seconds). */
  readonly joinTimeoutSeconds?: number;
}

/**
 * The k3s cluster on the lab's machines: a shared join token, one MetalHost per node (the first server,
 * then the other servers, then the agents), the admin kubeconfig fetched from the first server and a
 * Kubernetes provider built from it, and a gate that passes once every node has registered.
 */
export class K3sCluster extends pulumi.ComponentResource {
  /** What the Kubernetes layers need: provider, gate connection, and the resources to wait for. */
  public readonly access: ClusterAccess;
  /** Admin kubeconfig pointing at `cluster.apiEndpoint` (secret). */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: K3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:bootstrap:K3sCluster", name, {}, opts);
    const { model, sshPrivateKey } = args;
    const ansibleDir = args.ansibleDir ?? ANSIBLE_DIR;

    // Generated once and kept in state; letters and digits only, so it needs no quoting anywhere.
    const token = new random.RandomPassword(`${name}-token`, { length: 48, special: false }, { parent: this });
    const secretVars = pulumi.secret(token.result.apply((t) => ansibleSecretVars({ k3s_token: t })));

    const inventory = buildInventory(model);
    const digests = new Map(
      ["server", "agent"].map((role) => [role, runDigest(ansibleDir, BOOTSTRAP_PLAYBOOK, roleGroup({ role: role as NodeModel["role"] }))]),
    );
    const drainSeconds = durationSeconds(model.hosts.drainTimeout);
    const host = (node: NodeModel, dependsOn: pulumi.Resource[]) =>
      new MetalHost(
        node.name,
        {
          node,
          ssh: model.ssh,
          sshPrivateKey,
          inventory: dumpInventory(hostInventory(inventory, node.name)),
          resetInventory: dumpInventory(resetInventory(model, node)),
          ansibleDigest: digests.get(node.role)!,
          secretVars,
          resetTimeout: formatSeconds(drainSeconds + 900),
        },
        { parent: this, dependsOn },
      );

    // The first server initialises the datastore; the others join it; agents join once servers are up.
    const [firstServer, ...otherServers] = model.servers;
    const first = host(firstServer, []);
    const servers = [first, ...otherServers.map((n) => host(n, [first]))];
    const agents = model.agents.map((n) => host(n, servers));

    const gateConnection = sshConnection(firstServer.address, model.ssh, sshPrivateKey);
    const fetched = new command.remote.Command(
      `${name}-kubeconfig`,
      {
        connection: gateConnection,
        create: `sudo test -s ${K3S_KUBECONFIG_PATH} && sudo cat ${K3S_KUBECONFIG_PATH}`,
        // Fetch again whenever the first server was (re)bootstrapped.
        triggers: [first.runId],
        logging: "none",
      },
      { parent: this, dependsOn: [first], additionalSecretOutputs: ["stdout", "stderr"] },
    );
    // stdout is empty only when no command ran (unit tests under mocks); a real fetch of an empty file fails.
    this.kubeconfig = pulumi.secret(
      fetched.stdout.apply((text) => (text ? rewriteKubeconfig(text, model.cluster.apiEndpoint, model.cluster.name) : text)),
    );

    const provider = new k8s.Provider(
      `${name}-k8s`,
      // A renewed client certificate changes the kubeconfig; it must not replace every Kubernetes object.
      { kubeconfig: this.kubeconfig, clusterIdentifier: model.cluster.name },
      { parent: this },
    );

    // Nodes are not Ready before the CNI is installed, so "joined" means registered with the API server.
    const joined = new ReadinessGate(
      `${name}-nodes-joined`,
      {
        connection: gateConnection,
        checks: model.nodes.map((n) => ({ description: `node ${n.name} registered`, command: `${KUBECTL} get node ${n.name}` })),
        // Check again when a node is added or re-bootstrapped; the run ids also make the gate's
        // command depend on every host's bootstrap in the engine's graph.
        triggers: [...model.nodes.map((n) => n.name), ...[...servers, ...agents].map((h) => h.runId)],
        timeoutSeconds: args.joinTimeoutSeconds ?? 600,
      },
      { parent: this, dependsOn: [...servers, ...agents] },
    );

    this.access = { provider, gateConnection, clusterReady: [joined] };
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

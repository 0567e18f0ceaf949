/** The admin kubeconfig k3s writes on a server, made usable from the operator's machine. */
import * as yaml from "js-yaml";

/** Where k3s writes the admin kubeconfig on a server (root-only: write-kubeconfig-mode 0600). */
export const K3S_KUBECONFIG_PATH = "/etc/rancher/k3s/k3s.yaml";

interface Named {
  name?: string;
  [key: string]: unknown;
}

interface Kubeconfig {
  clusters?: Array<Named & { cluster?: Record<string, unknown> }>;
  contexts?: Array<Named & { context?: { cluster?: string; user?: string } }>;
  users?: Named[];
  "current-context"?: string;
  [key: string]: unknown;
}

/** The API server URL for an endpoint, which the schema allows to be an IPv4 address or a DNS name. */
export function apiServerUrl(endpoint: string): string {
  return `https://${endpoint}:6443`;
}

/**
 * Points the kubeconfig at `endpoint` (k3s writes https://127.0.0.1:6443) and renames k3s's
 * `default` cluster, context and user to the cluster name, so it merges cleanly with others.
 * Throws when the text is not a k3s kubeconfig, so a wrong file never becomes the provider's config.
 */
export function rewriteKubeconfig(text: string, endpoint: string, clusterName: string): string {
  const doc = yaml.load(text) as Kubeconfig | null;
  if (!doc || typeof doc !== "object" || !Array.isArray(doc.clusters) || doc.clusters.length !== 1) {
    throw new Error(`${K3S_KUBECONFIG_PATH} on the first server is not a kubeconfig with exactly one cluster`);
  }
  const rename = (name: string | undefined) => (name === "default" || name === undefined ? clusterName : name);
  const out: Kubeconfig = {
    ...doc,
    clusters: doc.clusters.map((c) => ({ ...c, name: rename(c.name), cluster: { ...c.cluster, server: apiServerUrl(endpoint) } })),
    contexts: (doc.contexts ?? []).map((c) => ({
      ...c,
      name: rename(c.name),
      context: { ...c.context, cluster: rename(c.context?.cluster), user: rename(c.context?.user) },
    })),
    users: (doc.users ?? []).map((u) => ({ ...u, name: rename(u.name) })),
    "current-context": rename(doc["current-context"]),
  };
  return yaml.dump(out, { lineWidth: -1, noRefs: true });
}

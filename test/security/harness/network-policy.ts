/**
 * Offline NetworkPolicy ingress semantics (networking.k8s.io/v1, as Kube-OVN enforces them): a pod
 * selected by no Ingress policy of its namespace accepts everything; otherwise a connection is
 * allowed when some selecting policy has a rule whose `from` peers match the source (no `from`: any
 * source) and whose `ports` match (no `ports`: any). A peer with only a podSelector matches pods of
 * the policy's own namespace; with a namespaceSelector, pods of the matching namespaces.
 */
import { selectorMatches } from "./admission";

export interface Endpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Policy {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: Record<string, any>;
}

export function ingressAllowed(
  policies: readonly Policy[],
  namespaceLabels: (ns: string) => Record<string, string>,
  source: Endpoint,
  destination: Endpoint,
  port: number,
  protocol: "TCP" | "UDP" = "TCP",
): boolean {
  const selecting = policies.filter(
    (p) => p.metadata.namespace === destination.namespace && (p.spec.policyTypes ?? ["Ingress"]).includes("Ingress") && selectorMatches(p.spec.podSelector, destination.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (p.spec.ingress ?? []).some((rule: Record<string, any>) => {
      const peerOk =
        !rule.from ||
        rule.from.length === 0 ||
        rule.from.some((peer: Record<string, any>) => {
          if (peer.ipBlock) return false;
          const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(source.namespace)) : source.namespace === p.metadata.namespace;
          return nsOk && selectorMatches(peer.podSelector, source.labels);
        });
      const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((pp: Record<string, any>) => (pp.port === undefined || pp.port === port) && (pp.protocol ?? "TCP") === protocol);
      return peerOk && portOk;
    }),
  );
}

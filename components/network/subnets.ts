/**
 * Kube-OVN Subnet specs (kubeovn.io/v1, cluster-scoped) derived from the model: one private subnet
 * per team that has `subnet`, and the platform monitoring subnet that private team subnets admit.
 */
import { cidr, cidrAddress } from "../../config/cidr";
import type { LabModel, TeamModel } from "../../config/model";
import type { GatewayConfig } from "../../config/schema/network";

export interface SubnetSpec {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/** Subnet name of a team: cluster-scoped, so prefixed to keep clear of platform subnets. */
export function teamSubnetName(team: string): string {
  return `team-${team}`;
}

export const MONITORING_SUBNET = "platform-monitoring";

function gatewayFields(gateway: GatewayConfig): Record<string, unknown> {
  return {
    gatewayType: gateway.type,
    // The CRD has no omitempty on gatewayNode; comma-separated node names for centralized.
    gatewayNode: gateway.type === "centralized" ? gateway.nodes.join(",") : "",
    natOutgoing: gateway.natOutgoing,
  };
}

function baseSpec(block: string, namespace: string, gateway: GatewayConfig): Record<string, unknown> {
  return {
    protocol: "IPv4",
    cidrBlock: block,
    gateway: cidrAddress(cidr(block), 1),
    namespaces: [namespace],
    ...gatewayFields(gateway),
  };
}

/** The gateway a team's subnet uses: its override in lab:network.gateways, else the default. */
export function teamGateway(model: LabModel, team: string): GatewayConfig {
  return model.network.gateways[team] ?? model.network.gateway;
}

/**
 * Private: Kube-OVN then drops traffic into the subnet except from the subnet itself, the join
 * (node) subnet, and `allowSubnets` — here only the monitoring subnet, so vmagent can scrape.
 */
export function teamSubnetSpec(model: LabModel, team: TeamModel): SubnetSpec {
  if (!team.subnet) throw new Error(`team ${team.name} has no subnet`);
  if (!model.network.monitoringSubnet) throw new Error("lab:network.monitoringSubnet is required with team subnets");
  return {
    name: teamSubnetName(team.name),
    spec: {
      ...baseSpec(team.subnet, team.namespace, teamGateway(model, team.name)),
      private: true,
      allowSubnets: [model.network.monitoringSubnet],
    },
  };
}

/** The monitoring namespace's own subnet: reachable from everywhere, so not private. */
export function monitoringSubnetSpec(model: LabModel): SubnetSpec | undefined {
  const block = model.network.monitoringSubnet;
  if (!block) return undefined;
  return {
    name: MONITORING_SUBNET,
    spec: { ...baseSpec(block, model.network.monitoringNamespace, model.network.gateway), private: false },
  };
}

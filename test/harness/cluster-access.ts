/** A ClusterAccess for testing a Kubernetes layer on its own, without the bootstrap layer. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../../components/shared/cluster-access";

export function testClusterAccess(name = "test-cluster"): ClusterAccess {
  const provider = new k8s.Provider(name, { kubeconfig: pulumi.secret("{}") });
  return {
    provider,
    gateConnection: pulumi.secret({ host: "192.0.2.11", user: "lab-admin", privateKey: "test-key" }),
    clusterReady: [],
  };
}

import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ContainerResources } from "../../config/schema/resources";

/**
 * A namespace with a LimitRange that gives every container without its own resources the given
 * requests and limits. Fleet's charts (0.14) have no values key for container resources, and its
 * git jobs run in the GitRepo's namespace, so the defaults have to come from the namespace.
 */
export function limitedNamespace(
  name: string,
  namespace: string,
  defaults: ContainerResources,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  const ns = new k8s.core.v1.Namespace(name, { metadata: { name: namespace } }, opts);
  new k8s.core.v1.LimitRange(
    `${name}-container-defaults`,
    {
      metadata: { name: "container-defaults", namespace },
      spec: {
        limits: [{ type: "Container", defaultRequest: { ...defaults.requests }, default: { ...defaults.limits } }],
      },
    },
    { ...opts, dependsOn: [ns] },
  );
  return ns;
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gitRepoCredentials, PLATFORM_GITREPO } from "../../config/fleet-names";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { helmChart, renderValues } from "../shared/helm-chart";
import { crdEstablished, KUBECTL, ReadinessGate, rolledOut, type ReadinessCheck } from "../shared/readiness-gate";
import {
  FLEET_CRDS,
  FLEET_DEPLOYMENTS,
  FLEET_LOCAL_CLUSTER,
  FLEET_LOCAL_NAMESPACE,
  FLEET_REPO,
  FLEET_SYSTEM_NAMESPACE,
  fleetValues,
} from "./fleet-values";
import { limitedNamespace } from "./limited-namespace";
import { admissionGuard } from "../teams/admission-guard";
import { bundleDeploymentOwnerGuard } from "./bundle-deployment-guard";

export interface FleetArgs {
  /** Fleet version, GitOps settings (platform repo, drift correction, container defaults). */
  readonly model: LabModel;
  /** Provider and gate connection from the bootstrap layer. */
  readonly access: ClusterAccess;
  /** The network's readiness gate: Fleet's pods need the pod network. */
  readonly networkReady: pulumi.Input<pulumi.Resource>;
}

export function fleetReadinessChecks(): ReadinessCheck[] {
  return [
    ...FLEET_CRDS.map(crdEstablished),
    ...FLEET_DEPLOYMENTS.map((name) => rolledOut("deployment", FLEET_SYSTEM_NAMESPACE, name)),
    {
      description: `Fleet cluster ${FLEET_LOCAL_NAMESPACE}/${FLEET_LOCAL_CLUSTER} registered`,
      command: `${KUBECTL} -n ${FLEET_LOCAL_NAMESPACE} get clusters.fleet.cattle.io ${FLEET_LOCAL_CLUSTER}`,
    },
  ];
}

/**
 * Rancher Fleet standalone: the fleet-crd and fleet charts (same pinned version), container defaults
 * for Fleet's namespaces, a readiness gate (CRDs, controllers, the `local` cluster registered), and
 * the lab's own platform GitRepo when configured.
 */
export class Fleet extends pulumi.ComponentResource {
  /** Depend on this for any Fleet object (GitRepo, restriction, agent service accounts). */
  public readonly ready: pulumi.Resource;
  /** Namespace of the agent for the local cluster: service accounts Fleet impersonates live here. */
  public readonly agentNamespace: string;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:gitops:Fleet", name, {}, opts);
    const { model, access } = args;
    const k8sOpts = { parent: this, provider: access.provider, dependsOn: [args.networkReady] };
    const defaults = model.gitops.containerDefaults;

    const namespaces = [
      limitedNamespace(`${name}-system`, FLEET_SYSTEM_NAMESPACE, defaults, k8sOpts),
      limitedNamespace(`${name}-local`, FLEET_LOCAL_NAMESPACE, defaults, k8sOpts),
    ];
    const chartArgs = { repo: FLEET_REPO, version: model.versions.fleet, targetNamespace: FLEET_SYSTEM_NAMESPACE, createNamespace: false };
    const crds = helmChart("fleet-crd", { ...chartArgs, chart: "fleet-crd", values: {} }, { ...k8sOpts, dependsOn: namespaces });
    const values = fleetValues(model);
    const fleet = helmChart("fleet", { ...chartArgs, chart: "fleet", values }, { ...k8sOpts, dependsOn: [crds] });

    // In place before the gate opens, so before any GitRepo makes a Bundle: no Bundle takes over
    // another's BundleDeployment by its name.
    const owner = bundleDeploymentOwnerGuard();
    const ownerGuard = admissionGuard(`${name}-${owner.policy.metadata.name}`, owner, { parent: this, provider: access.provider, dependsOn: access.clusterReady });

    this.ready = new ReadinessGate(
      `${name}-ready`,
      { connection: access.gateConnection, checks: fleetReadinessChecks(), triggers: [model.versions.fleet, renderValues(values)] },
      { parent: this, dependsOn: [fleet, ...ownerGuard] },
    );
    this.agentNamespace = FLEET_SYSTEM_NAMESPACE;

    const platform = model.gitops.platformRepo;
    if (platform) {
      // The platform repo deploys cluster-wide, as the agent itself: no target namespace, no restriction.
      new k8s.apiextensions.CustomResource(
        `${name}-platform`,
        {
          apiVersion: "fleet.cattle.io/v1alpha1",
          kind: "GitRepo",
          metadata: { name: PLATFORM_GITREPO, namespace: FLEET_LOCAL_NAMESPACE },
          spec: {
            repo: platform.url,
            branch: platform.branch,
            ...(platform.paths.length > 0 ? { paths: platform.paths } : {}),
            ...gitRepoCredentials(platform),
            correctDrift: { enabled: model.gitops.correctDrift },
          },
        },
        { parent: this, provider: access.provider, dependsOn: [this.ready] },
      );
    }
    this.registerOutputs({ agentNamespace: this.agentNamespace });
  }
}

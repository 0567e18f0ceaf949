/**
 * Charts are installed through k3s's helm-controller: a `helm.cattle.io/v1` HelmChart object with a
 * pinned version and values generated from the model. It previews without a reachable cluster,
 * its values are visible in the plan, and `bootstrap: true` installs a CNI before any node is Ready.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";

export interface HelmChartArgs {
  /** Chart name in the repository. */
  readonly chart: string;
  /** Helm repository URL. */
  readonly repo: string;
  /** Exact chart version from `lab:versions`. */
  readonly version: string;
  /** Namespace the release is installed into. */
  readonly targetNamespace: string;
  /** Create the target namespace. Defaults to true. */
  readonly createNamespace?: boolean;
  /** Chart values; rendered to `valuesContent` with sorted keys so the plan is stable. */
  readonly values: Record<string, unknown>;
  /** Install before nodes are Ready (CNI): host network, control-plane node. Defaults to false. */
  readonly bootstrap?: boolean;
  /** Helm operation timeout. Defaults to "600s". */
  readonly timeout?: string;
}

/** The namespace helm-controller watches for HelmChart objects. */
export const HELM_CHART_NAMESPACE = "kube-system";

/** Deterministic YAML for `valuesContent`. */
export function renderValues(values: Record<string, unknown>): string {
  return yaml.dump(values, { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** A HelmChart custom resource named `name` (also the Helm release name). */
export function helmChart(name: string, args: HelmChartArgs, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "helm.cattle.io/v1",
      kind: "HelmChart",
      metadata: { name, namespace: HELM_CHART_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
      spec: {
        chart: args.chart,
        repo: args.repo,
        version: args.version,
        targetNamespace: args.targetNamespace,
        createNamespace: args.createNamespace ?? true,
        bootstrap: args.bootstrap ?? false,
        timeout: args.timeout ?? "600s",
        valuesContent: renderValues(args.values),
      },
    },
    opts,
  );
}

import { z } from "zod";
import { exactVersion } from "./primitives";

/** Pinned chart versions; every chart the stack installs reads its version from here. */
export const versionsSchema = z
  .strictObject({
    kubeOvn: exactVersion.default("v1.15.4"),
    /** fleet-crd and fleet charts (one release train). 0.14.x supports Kubernetes 1.32-1.34. */
    fleet: exactVersion.default("0.14.6"),
    /** vaclab-bandwidth-operator chart (vacp2p/vaclab-k8s-plugins). */
    bandwidthOperator: exactVersion.default("0.2.1"),
    /** vaclab-scheduler chart (vacp2p/vaclab-k8s-plugins). */
    vaclabScheduler: exactVersion.default("0.30.7"),
    /** victoria-metrics-k8s-stack chart (today's lab runs 0.67.0: operator v0.66.1, VictoriaMetrics v1.133.0). */
    victoriaMetricsK8sStack: exactVersion.default("0.67.0"),
    /**
     * VictoriaMetrics image tag of what the stack runs itself (cold VMSingle, vmbackup); keep it equal
     * to the chart's appVersion so both tiers run one release.
     */
    victoriaMetrics: exactVersion.default("v1.133.0"),
    /** amazon/aws-cli image tag, used only to prune dated backups on s3:// targets. */
    awsCli: exactVersion.default("2.27.9"),
  })
  .prefault({});

import { z } from "zod";
import { exactVersion } from "./primitives";

/** Pinned chart versions; every chart the stack installs reads its version from here. */
export const versionsSchema = z
  .strictObject({
    kubeOvn: exactVersion.default("v1.15.4"),
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

import { z } from "zod";
import { exactVersion } from "./primitives";

/**
 * The oldest Fleet release the lab accepts: 0.14.3 and older read a bundle's `helm.valuesFrom`
 * Secrets with the agent's own cluster-wide client, so a team bundle could copy any Secret into its
 * release values (GHSA-765j-qfrp-hm3j, fixed in 0.14.5).
 */
export const FLEET_VERSION_FLOOR = [0, 14, 5] as const;

/** The release numbers of an exact version ("v1.2.3-rc.1+b" -> [1, 2, 3]). */
function releaseNumbers(version: string): number[] {
  return version.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
}

/** Whether exact version `version` is at least `floor` (pre-releases of the floor itself are below it). */
export function atLeast(version: string, floor: readonly number[]): boolean {
  const got = releaseNumbers(version);
  for (let i = 0; i < floor.length; i++) if (got[i] !== floor[i]) return got[i] > floor[i];
  return !/^v?[^-+]*-/.test(version);
}

/** Pinned chart versions; every chart the stack installs reads its version from here. */
export const versionsSchema = z
  .strictObject({
    kubeOvn: exactVersion.default("v1.15.4"),
    /** fleet-crd and fleet charts (one release train). 0.14.x supports Kubernetes 1.32-1.34. */
    fleet: exactVersion
      .refine((v) => atLeast(v, FLEET_VERSION_FLOOR), {
        message: `must be Fleet ${FLEET_VERSION_FLOOR.join(".")} or newer (older releases read helm.valuesFrom Secrets with the agent's cluster-wide client, GHSA-765j-qfrp-hm3j)`,
      })
      .default("0.14.6"),
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

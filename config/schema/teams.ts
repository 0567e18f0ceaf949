import { z } from "zod";
import { cidrBlock, dnsLabel, positiveInt, positiveNumber } from "./primitives";

const nonNegativeInt = z.number().int("must be a whole number").nonnegative("must be 0 or more");
const nonNegativeNumber = z.number().nonnegative("must be 0 or more");

export const repoSchema = z.strictObject({
  url: z.string().regex(/^(https:\/\/|git@|ssh:\/\/)\S+$/, "must be an https://, ssh:// or git@ repository URL"),
  branch: z.string().min(1).default("main"),
  /** Paths inside the repo that Fleet deploys. Default: the repo root. */
  paths: z.array(z.string().min(1)).default([]),
});

export const teamSchema = z.strictObject({
  /** Team name; also its namespace. */
  name: dnsLabel,
  /** Pools the team may schedule on. One team alone on a pool makes it dedicated; several share it. */
  pools: z.array(dnsLabel).min(1, "must name at least one pool"),
  quota: z.strictObject({
    cpu: positiveNumber,
    memoryGiB: positiveNumber,
    /** Pod count. Default: the team's cpu share of its pools' pod slots. */
    pods: positiveInt.optional(),
  }),
  /**
   * Disk the team may claim in its namespace (ResourceQuota). Defaults: 100 GiB of container
   * ephemeral storage (requests and limits; emptyDir and writable layers count), 100 GiB and 20
   * PersistentVolumeClaims of persistent storage (k3s local-path volumes live on the node's disk).
   */
  storage: z
    .strictObject({
      ephemeralGiB: positiveNumber.optional(),
      persistentGiB: nonNegativeNumber.optional(),
      persistentVolumeClaims: nonNegativeInt.optional(),
    })
    .optional(),
  /** Services of type LoadBalancer / NodePort the team may create (ResourceQuota). Default: 0 each. */
  services: z
    .strictObject({
      loadBalancers: nonNegativeInt.optional(),
      nodePorts: nonNegativeInt.optional(),
    })
    .optional(),
  /** Kube-OVN subnet for the team's namespace. */
  subnet: cidrBlock.optional(),
  /**
   * Identity-provider groups that get the team member role in the team namespace. Kubernetes' own
   * `system:` groups (every authenticated user, every service account) are refused by the config check.
   */
  groups: z.array(z.string().min(1)).default([]),
  /** GitOps repositories Fleet deploys into the team namespace. */
  repos: z.array(repoSchema).default([]),
});

export const teamsSchema = z.array(teamSchema);

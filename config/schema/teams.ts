import { z } from "zod";
import { cidrBlock, dnsLabel, positiveInt, positiveNumber } from "./primitives";

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
  /** Kube-OVN subnet for the team's namespace. */
  subnet: cidrBlock.optional(),
  /** Identity-provider groups that get edit rights in the team namespace. */
  groups: z.array(z.string().min(1)).default([]),
  /** GitOps repositories Fleet deploys into the team namespace. */
  repos: z.array(repoSchema).default([]),
});

export const teamsSchema = z.array(teamSchema);

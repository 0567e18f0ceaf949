import { z } from "zod";
import { cidrBlock, cores, dnsLabel, dnsSubdomain, gibibytes, gitBranch, positiveInt, repoPath, repoUrl } from "./primitives";

export const repoSchema = z.strictObject({
  /** https://host/path, ssh://[user@]host[:port]/path or user@host:path; never a password or token. */
  url: repoUrl,
  /** A git branch name (git check-ref-format --branch). */
  branch: gitBranch.default("main"),
  /** Paths inside the repo that Fleet deploys: relative, no '..'. Default: the repo root. */
  paths: z.array(repoPath).max(100).default([]),
  /**
   * Secret in the GitRepo's namespace with the credentials of a private repo (Fleet GitRepo
   * `spec.clientSecretName`: type kubernetes.io/basic-auth or kubernetes.io/ssh-auth). Default: none.
   */
  clientSecretName: dnsSubdomain.optional(),
});

export const teamSchema = z.strictObject({
  /** Team name; also its namespace. */
  name: dnsLabel,
  /** Pools the team may schedule on. One team alone on a pool makes it dedicated; several share it. */
  pools: z.array(dnsLabel).min(1, "must name at least one pool"),
  quota: z.strictObject({
    /** Cores, whole millicores. */
    cpu: cores(),
    /** GiB, whole MiB. */
    memoryGiB: gibibytes(),
    /** Pod count. Default: the team's cpu share of its pools' pod slots. */
    pods: positiveInt.optional(),
  }),
  /** Kube-OVN subnet for the team's namespace. */
  subnet: cidrBlock.optional(),
  /** Identity-provider groups that get edit rights in the team namespace. */
  groups: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@=+\/-]{0,252}$/, "must be a group name: letters, digits and . _ : @ = + / - (at most 253)"))
    .default([]),
  /** GitOps repositories Fleet deploys into the team namespace. */
  repos: z.array(repoSchema).default([]),
});

export const teamsSchema = z.array(teamSchema);

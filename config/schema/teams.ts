import { z } from "zod";
import { cidrBlock, cores, dnsLabel, dnsSubdomain, gibibytes, gitBranch, positiveInt, repoPath, repoUrl } from "./primitives";

const nonNegativeInt = z.number().int("must be a whole number").nonnegative("must be 0 or more").max(10_000, "must be at most 10000");

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
  /**
   * Disk the team may claim in its namespace (ResourceQuota). Defaults: 100 GiB of container
   * ephemeral storage (requests and limits; emptyDir and writable layers count), 100 GiB and 20
   * PersistentVolumeClaims of persistent storage, of any class but k3s's `local-path` (its volumes
   * are unbounded directories on the node's disk: 0 claims of it, components/teams/quota.ts).
   */
  storage: z
    .strictObject({
      ephemeralGiB: gibibytes().optional(),
      persistentGiB: gibibytes(true).optional(),
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
  groups: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@=+\/-]{0,252}$/, "must be a group name: letters, digits and . _ : @ = + / - (at most 253)"))
    .default([]),
  /** GitOps repositories Fleet deploys into the team namespace. */
  repos: z.array(repoSchema).default([]),
});

export const teamsSchema = z.array(teamSchema);

/** `lab:gitops`: Rancher Fleet, the lab's own platform repo, and how team repos are reconciled. */
import { z } from "zod";
import { repoSchema } from "./teams";
import { resourcesWithDefault } from "./resources";

export const gitopsSchema = z
  .strictObject({
    /** The lab's own repo, deployed cluster-wide from `fleet-local`. Default: none. */
    platformRepo: repoSchema.optional(),
    /** Fleet reverts changes made outside git (GitRepo correctDrift). Default true. */
    correctDrift: z.boolean().default(true),
    /**
     * Default container resources in the Fleet namespaces (LimitRange): Fleet 0.14 has no values key
     * for container resources. Default: the chart's own suggestion, requests 250m/768Mi, limits 8/8Gi.
     */
    containerDefaults: resourcesWithDefault({ requests: { cpu: "250m", memory: "768Mi" }, limits: { cpu: "8", memory: "8Gi" } }),
  })
  .prefault({});

export type GitOpsConfig = z.output<typeof gitopsSchema>;

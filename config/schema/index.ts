/**
 * The stack config, one zod schema per top-level `lab:` key. Each key is parsed on its own so that
 * one broken section does not hide the problems of the others.
 */
import { z } from "zod";
import { benchmarksSchema } from "./benchmarks";
import { clusterSchema } from "./cluster";
import { gitopsSchema } from "./gitops";
import { hostsSchema } from "./hosts";
import { leasesSchema } from "./leases";
import { healthSchema } from "./health";
import { monitoringSchema } from "./monitoring";
import { networkSchema } from "./network";
import { nodesSchema } from "./nodes";
import { sshSchema } from "./ssh";
import { teamsSchema } from "./teams";
import { versionsSchema } from "./versions";

export const configSections = {
  cluster: clusterSchema,
  ssh: sshSchema,
  nodes: nodesSchema,
  teams: teamsSchema.default([]),
  monitoring: monitoringSchema,
  network: networkSchema,
  gitops: gitopsSchema,
  health: healthSchema,
  versions: versionsSchema,
  hosts: hostsSchema,
  benchmarks: benchmarksSchema,
  leases: leasesSchema.default([]),
} as const;

export type ConfigSectionName = keyof typeof configSections;

/** The validated config, defaults applied. */
export type LabConfig = { [K in ConfigSectionName]: z.output<(typeof configSections)[K]> };
export type NodeConfig = LabConfig["nodes"][number];
export type TeamConfig = LabConfig["teams"][number];

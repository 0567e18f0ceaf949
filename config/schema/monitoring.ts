import { z } from "zod";
import { duration } from "./primitives";

export const scrapeIntervalsSchema = z
  .strictObject({
    /** node_exporter, kubelet/cAdvisor, kube-state-metrics, CNI. */
    infra: duration.default("30s"),
    /** Baselines and *_info inventory series. */
    inventory: duration.default("60s"),
    /** Experiment pods in team namespaces. */
    experiment: duration.default("10s"),
  })
  .prefault({});

export const monitoringSchema = z
  .strictObject({
    scrapeIntervals: scrapeIntervalsSchema,
  })
  .prefault({});

/** Whether the monitoring layer scrapes a metric: its one allow-list definition decides. */
import { sourcesOf } from "../monitoring/metrics";

export function isScraped(metric: string): boolean {
  return sourcesOf(metric, "hot").some((source) => source !== "recorded");
}

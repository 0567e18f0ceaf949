/**
 * Alertmanager routes of the lease alerts (components/health/lease-rules.ts, label `lease="true"`):
 * each goes to the operators (`routes.labHealth`) and to the experimenters (`routes.comparability`,
 * where the teams read which machines change hands), whatever its severity. The first route
 * continues so that the second one also matches (Alertmanager: `continue`).
 */
import type { LabModel } from "../../config/model";

export const LEASE_MATCHER = 'lease="true"';

export function leaseAlertRoutes(alerting: LabModel["monitoring"]["alerting"]): Record<string, unknown>[] {
  const route = (receiver: string) => ({ receiver, matchers: [LEASE_MATCHER], group_by: ["alertname", "cluster", "node"] });
  return [{ ...route(alerting.routes.comparability), continue: true }, route(alerting.routes.labHealth)];
}

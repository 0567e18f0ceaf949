/**
 * The Alertmanager configuration (raw Alertmanager format, which the chart renders into the
 * VMAlertmanager's config Secret when `useManagedConfig` is false). Comparability alerts
 * (comparability="true") and lab-health alerts go to distinct receivers; credentials are read from
 * Secret files mounted by the VMAlertmanager (`spec.secrets`), never written into the config.
 */
import type { LabModel } from "../../config/model";
import type { ReceiverConfig, SecretRefConfig } from "../../config/schema/monitoring";
import { leaseAlertRoutes } from "./lease-routes";

/** Where the VM operator mounts `spec.secrets` (operator v0.66.1 `SecretsDir`): <dir>/<secret>/<key>. */
export const OPERATOR_SECRETS_DIR = "/etc/vm/secrets";

/** Receiver for meta-alerts that only prove the pipeline works (Watchdog, InfoInhibitor). */
export const NULL_RECEIVER = "null";

export const COMPARABILITY_MATCHER = 'comparability="true"';

/** Alerts about a team's own scrape targets (components/health/alerts.ts EXPERIMENT_TIER). */
export const EXPERIMENT_MATCHER = 'tier="experiment"';

/**
 * Labels a more severe alert must share with a milder one to mute it: the alert, and every label
 * that names the object it is about (node, scrape target, device, mount, PVC, pod/container), so a
 * critical alert on one node or disk never mutes the warning of another. Alertmanager treats a label
 * missing on both sides as equal, so listing labels an alert does not carry is harmless
 * (alertmanager 0.25 inhibit/inhibit.go, InhibitRule.Equal). kube-prometheus uses
 * [namespace, alertname] with one alert per namespace in mind; node-level alerts need more.
 */
export const INHIBIT_EQUAL = [
  "cluster", "namespace", "alertname", "node", "instance", "job", "device", "mountpoint", "persistentvolumeclaim", "pod", "container", "pool",
] as const;

type Alerting = LabModel["monitoring"]["alerting"];

function secretFile(ref: SecretRefConfig, secretsDir: string): string {
  return `${secretsDir}/${ref.name}/${ref.key}`;
}

function receiver(r: ReceiverConfig, secretsDir: string): Record<string, unknown> {
  if (r.webhook) {
    const token = r.webhook.bearerTokenSecret;
    return {
      name: r.name,
      webhook_configs: [
        {
          url: r.webhook.url,
          send_resolved: true,
          ...(token ? { http_config: { authorization: { type: "Bearer", credentials_file: secretFile(token, secretsDir) } } } : {}),
        },
      ],
    };
  }
  if (r.slack) {
    return { name: r.name, slack_configs: [{ api_url_file: secretFile(r.slack.apiUrlSecret, secretsDir), channel: r.slack.channel, send_resolved: true }] };
  }
  const email = r.email!;
  return {
    name: r.name,
    email_configs: [
      {
        to: email.to,
        from: email.from,
        smarthost: email.smarthost,
        require_tls: email.requireTls,
        send_resolved: true,
        ...(email.authUsername ? { auth_username: email.authUsername } : {}),
        ...(email.authPasswordSecret ? { auth_password_file: secretFile(email.authPasswordSecret, secretsDir) } : {}),
      },
    ],
  };
}

/** Secrets the receivers read, to be mounted into the Alertmanager pod. */
export function receiverSecretNames(alerting: Alerting): string[] {
  const refs = alerting.receivers.flatMap((r) => [r.webhook?.bearerTokenSecret, r.slack?.apiUrlSecret, r.email?.authPasswordSecret]);
  return [...new Set(refs.filter((ref): ref is SecretRefConfig => ref !== undefined).map((ref) => ref.name))].sort();
}

export function alertmanagerConfig(alerting: Alerting, secretsDir = OPERATOR_SECRETS_DIR): Record<string, unknown> {
  return {
    route: {
      receiver: alerting.routes.labHealth,
      group_by: ["alertname", "cluster", "namespace"],
      group_wait: alerting.groupWait,
      group_interval: alerting.groupInterval,
      repeat_interval: alerting.repeatInterval,
      routes: [
        { receiver: NULL_RECEIVER, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
        ...leaseAlertRoutes(alerting),
        // Per node: experimenters need to know which machines made a window not comparable.
        { receiver: alerting.routes.comparability, matchers: [COMPARABILITY_MATCHER], group_by: ["alertname", "cluster", "node"] },
        // A team's own targets (tier="experiment"): grouped per team namespace, never mixed with the lab's health.
        { receiver: alerting.routes.labHealth, matchers: [EXPERIMENT_MATCHER], group_by: ["alertname", "cluster", "namespace"] },
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: [...INHIBIT_EQUAL] },
      { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: [...INHIBIT_EQUAL] },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["cluster", "namespace"] },
    ],
    receivers: [{ name: NULL_RECEIVER }, ...alerting.receivers.map((r) => receiver(r, secretsDir))],
  };
}

/**
 * Kubernetes names the stack derives from config values, and their limits, shared by the config
 * checks (which refuse a config whose derived names break a limit or collide) and the components
 * (which use exactly these names).
 *
 * Limits (Kubernetes v1.32 apimachinery validation): a label key is `[prefix/]name`, the prefix a
 * DNS-1123 subdomain of at most 253 characters and the name at most 63 (IsQualifiedName); a label
 * value at most 63 (IsValidLabelValue); a CronJob name at most 52, because its controller appends
 * an 11-character suffix to name the Jobs (batch/v1 CronJob validation).
 */

export const LABEL_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
export const CRONJOB_NAME_MAX = 52;

/** The CronJob that calibrates a node: DNS-1123, at most 52 characters; distinct nodes may collide (checked). */
export function calibrationCronJobName(node: string): string {
  return `calibrate-${node.replace(/[^a-z0-9-]/g, "-")}`.slice(0, CRONJOB_NAME_MAX).replace(/-+$/, "");
}

/** A Kubernetes label value: at most 63 characters, starting and ending alphanumeric. */
export function labelValue(text: string): string {
  return text.slice(0, LABEL_VALUE_MAX).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/** Name part of the per-team access label key `<labelDomain>/team-<team>` (config/model.ts teamAccessLabelKey). */
export function teamAccessLabelName(team: string): string {
  return `team-${team}`;
}

/** A Service name: a DNS-1035 label of at most 63 characters (core/v1 Service validation). */
export const SERVICE_NAME_MAX = 63;

/**
 * The team's own vmagent (a VMAgent custom resource in the monitoring namespace) that scrapes its
 * experiment pods under its own series budget. The VM operator names its Service `vmagent-<name>`
 * (operator v0.66.1 PrefixedName), which must fit SERVICE_NAME_MAX; checked in config/checks/names.ts.
 */
export function teamVmagentName(team: string): string {
  return `exp-${team}`;
}

/** The Service (and self-scrape `job` label) the operator gives a VMAgent. */
export function vmagentServiceName(vmagent: string): string {
  return `vmagent-${vmagent}`;
}

/**
 * Values that keep the monitoring stack to what the stack owns, for victoria-metrics-k8s-stack
 * 0.67.0 (operator subchart victoria-metrics-operator 0.57.1, operator v0.66.1). Checked against:
 *
 * - charts/victoria-metrics-operator/values.yaml @ victoria-metrics-operator-0.57.1 L185-192:
 *   `rbac.aggregatedClusterRoles.enabled: true` by default; templates/role.yaml L195-219 then
 *   renders `<name>-victoriametrics-admin` (verbs `*` on every VM CRD, labelled
 *   `rbac.authorization.k8s.io/aggregate-to-admin`) and `-view`. Off: no team role can grow by them.
 * - same values.yaml L219 `operator.disable_prometheus_converter: false` (the k8s-stack repeats it
 *   at values.yaml L37-39): the operator would turn prometheus-operator objects in any namespace into
 *   VM objects as itself. Off.
 * - charts/victoria-metrics-k8s-stack/values.yaml @ victoria-metrics-k8s-stack-0.67.0: `spec.
 *   selectAllByDefault: true` for alertmanager (L621), vmalert (L819) and vmagent (L950), which
 *   selects every VMRule / scrape object / VMAlertmanagerConfig of the cluster.
 * - operator v0.66.1 internal/controller/operator/factory/k8stools/selectors.go discoverNamespaces
 *   L67-109: a non-empty namespace selector lists only the matching namespaces, and an object
 *   selector `{}` matches every object there. The namespace is chosen by its name label, which the
 *   API server sets and nobody can change.
 *
 * WATCH_NAMESPACE (`watchNamespaces`) is NOT used: it would make the stack's own vmagent
 * namespace-bound (internal/config/config.go IsClusterWideAccessAllowed L710-713) and stop it
 * scraping nodes and team pods. The ValidatingAdmissionPolicy in
 * components/teams/monitoring-objects-guard.ts keeps VM objects out of every other namespace.
 */

/** A label selector matching exactly the namespace called `namespace`. */
function namespaceNamed(namespace: string): Record<string, unknown> {
  return { matchLabels: { "kubernetes.io/metadata.name": namespace } };
}

/** `victoria-metrics-operator` subchart values: no aggregated roles, no prometheus-operator converter. */
export function operatorIsolationValues(): Record<string, unknown> {
  return {
    rbac: { aggregatedClusterRoles: { enabled: false } },
    operator: { disable_prometheus_converter: true },
  };
}

/** Scrape-object kinds a VMAgent selects (operator v0.66.1 api/operator/v1beta1/vmagent_types.go L116-196). */
export const VMAGENT_SELECTED_KINDS = ["serviceScrape", "podScrape", "probe", "nodeScrape", "staticScrape", "scrapeConfig"] as const;

/**
 * VMAgent `spec` keys: select scrape objects of the monitoring namespace only; with `skipLabel`, not
 * those carrying that label key (the teams' experiment scrapes, which their own vmagents run).
 */
export function vmagentOwnSelectors(namespace: string, skipLabel?: string): Record<string, unknown> {
  const selector = skipLabel ? { matchExpressions: [{ key: skipLabel, operator: "DoesNotExist" }] } : {};
  return {
    selectAllByDefault: false,
    ...Object.fromEntries(
      VMAGENT_SELECTED_KINDS.flatMap((kind) => [
        [`${kind}Selector`, selector],
        [`${kind}NamespaceSelector`, namespaceNamed(namespace)],
      ]),
    ),
  };
}

/** VMAlert `spec` keys: evaluate VMRules of the monitoring namespace only (vmalert_types.go L58-71). */
export function vmalertOwnSelectors(namespace: string): Record<string, unknown> {
  return { selectAllByDefault: false, ruleSelector: {}, ruleNamespaceSelector: namespaceNamed(namespace) };
}

/** VMAlertmanager `spec` keys: VMAlertmanagerConfigs of the monitoring namespace only (vmalertmanager_types.go L150-164). */
export function alertmanagerOwnSelectors(namespace: string): Record<string, unknown> {
  return { selectAllByDefault: false, configSelector: {}, configNamespaceSelector: namespaceNamed(namespace) };
}

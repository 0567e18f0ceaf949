/**
 * The "never on a node running team pods" check, as POSIX sh for pods that benchmark a node
 * (calibration, stack benchmarks). Needs curl and jq, and a service account that may list pods.
 *
 * `node_free NODE` exits 0 when NODE runs no unfinished pod of a namespace in `$TEAM_NAMESPACES`
 * (space-separated), and 1 when it does or when unsure (the API call or jq failing): when in doubt,
 * do not disturb. It asks the API server (`$KUBE_API`, default the in-cluster address) with the
 * pod's service-account token (`$SA_DIR`) for pods with `spec.nodeName=NODE` whose phase is neither
 * Succeeded nor Failed (field selectors of pods: kubernetes pkg/registry/core/pod/strategy.go).
 */
export const TEAM_POD_CHECK = `KUBE_API="\${KUBE_API:-https://\${KUBERNETES_SERVICE_HOST:-kubernetes.default.svc}:\${KUBERNETES_SERVICE_PORT:-443}}"
SA_DIR="\${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"
# Exit 0 when node $1 runs no unfinished pod of a team namespace; 1 when it does or when unsure.
node_free() {
  url="$KUBE_API/api/v1/pods?fieldSelector=spec.nodeName%3D$1%2Cstatus.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed"
  body=$(curl -sf --max-time 20 --cacert "$SA_DIR/ca.crt" -H "Authorization: Bearer $(cat "$SA_DIR/token" 2>/dev/null)" "$url") || return 1
  busy=$(printf '%s' "$body" | jq --arg teams " $TEAM_NAMESPACES " '[.items[] | select(.metadata.namespace as $ns | $teams | contains(" " + $ns + " "))] | length') || return 1
  [ "$busy" = 0 ]
}
`;

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../shared/cluster-access";
import { COLD_NAME, STACK_NAME } from "./names";

/**
 * Ingress to the monitoring namespace (Kube-OVN enforces NetworkPolicy). Without these, any team
 * pod could write samples into vminsert/vmagent (a forged verdict in both tiers), read every team's
 * series from vmselect, or silence alerts in Alertmanager. Everything is denied except what a
 * component needs; pods of other namespaces match no rule (every `from` is a pod selector, which
 * only matches pods of this namespace).
 *
 * Pod labels are the operator's and charts' selector labels: operator v0.66.1
 * api/operator/v1beta1 `SelectorLabels()` (vmagent_types.go L693, vmalert_types.go L394,
 * vmalertmanager_types.go L294, vmsingle_types.go L212: `app.kubernetes.io/name: <kind>`,
 * `app.kubernetes.io/instance: <cr>`; vmextra_types.go ClusterSelectorLabels L113-128: `vminsert`,
 * `vmselect`, `vmstorage`), grafana chart 10.1 and victoria-metrics-operator chart 0.57.1
 * (`app.kubernetes.io/name: grafana` / `victoria-metrics-operator`), and the stack's backup jobs.
 *
 * People and the operational CLIs (`npm run lab-report`, `npm run archive`) reach the query API and
 * Grafana through `kubectl port-forward` — authenticated and authorised by the API server with the
 * operator's kubeconfig, and delivered inside the pod's network namespace, so no rule admits them.
 */
export type Selector = Readonly<Record<string, string>>;

const stackPod = (name: string, instance = STACK_NAME): Selector => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance });

/** Selector labels of each monitoring component's pods. */
export const MONITORING_PODS = {
  vmagent: stackPod("vmagent"),
  vminsert: stackPod("vminsert"),
  vmselect: stackPod("vmselect"),
  vmstorage: stackPod("vmstorage"),
  vmalert: stackPod("vmalert"),
  alertmanager: stackPod("vmalertmanager"),
  grafana: stackPod("grafana"),
  cold: stackPod("vmsingle", COLD_NAME),
  kubeStateMetrics: stackPod("kube-state-metrics"),
  // The teams' experiment vmagents (team-vmagents.ts sets this label through VMAgent podMetadata).
  experimentVmagent: { "app.kubernetes.io/name": "vmagent", "lab-scrape": "experiment" },
  backup: { "app.kubernetes.io/name": "vmbackup" },
  operator: { "app.kubernetes.io/name": "victoria-metrics-operator" },
} as const satisfies Record<string, Selector>;

export type MonitoringPod = keyof typeof MONITORING_PODS;

/** Ports (TCP unless noted) as the operator and charts set them. */
export const MONITORING_PORTS = {
  vmagentHttp: 8429,
  vminsertHttp: 8480,
  vmselectHttp: 8481,
  vmstorageInsert: 8400,
  vmstorageSelect: 8401,
  vmstorageHttp: 8482,
  vmsingleHttp: 8428,
  vmalertHttp: 8080,
  alertmanagerHttp: 9093,
  alertmanagerCluster: 9094,
  grafanaHttp: 3000,
  kubeStateMetricsHttp: 8080,
  operatorMetrics: 8080,
  operatorWebhook: 9443,
} as const;

/**
 * Where vmagent may connect inside the namespace, and why: the two remote writes, and the metrics
 * port of each component it scrapes (the operator's self-scrapes of vmagent, vmalert, Alertmanager
 * and the cluster components, the chart's Grafana scrape, the stack's kube-state-metrics scrape).
 * Nothing else: not vmstorage's RPC ports, and no port of a pod that is not listed. On 8481 (vmselect)
 * and 8428/8482 (storage) the data and admin APIs share the metrics port, so those need their keys
 * (admin-keys.ts) as well.
 */
export const VMAGENT_REACHES: ReadonlyArray<{ readonly to: MonitoringPod; readonly port: number; readonly why: string }> = [
  { to: "vminsert", port: MONITORING_PORTS.vminsertHttp, why: "hot-tier remote write; vminsert /metrics" },
  { to: "cold", port: MONITORING_PORTS.vmsingleHttp, why: "cold-tier remote write; VMSingle /metrics" },
  { to: "vmagent", port: MONITORING_PORTS.vmagentHttp, why: "vmagent's own /metrics" },
  { to: "vmselect", port: MONITORING_PORTS.vmselectHttp, why: "vmselect /metrics" },
  { to: "vmstorage", port: MONITORING_PORTS.vmstorageHttp, why: "vmstorage /metrics" },
  { to: "vmalert", port: MONITORING_PORTS.vmalertHttp, why: "vmalert /metrics" },
  { to: "alertmanager", port: MONITORING_PORTS.alertmanagerHttp, why: "Alertmanager /metrics" },
  { to: "grafana", port: MONITORING_PORTS.grafanaHttp, why: "Grafana /metrics" },
  { to: "kubeStateMetrics", port: MONITORING_PORTS.kubeStateMetricsHttp, why: "kube-state-metrics (infra tier)" },
  { to: "operator", port: MONITORING_PORTS.operatorMetrics, why: "operator /metrics" },
  { to: "experimentVmagent", port: MONITORING_PORTS.vmagentHttp, why: "the teams' vmagents' /metrics (their series-budget drop counters)" },
];

export interface NetworkPolicySpecOf {
  readonly name: string;
  readonly spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: ["Ingress"];
    ingress: Array<{ from?: Array<{ podSelector: { matchLabels: Record<string, string> } }>; ports?: Array<{ port: number; protocol: "TCP" | "UDP" }> }>;
  };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const from = (...pods: MonitoringPod[]) => pods.map((p) => ({ podSelector: { matchLabels: { ...MONITORING_PODS[p] } } }));
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" as const }));
const policy = (name: string, to: MonitoringPod | undefined, ingress: NetworkPolicySpecOf["spec"]["ingress"]): NetworkPolicySpecOf => ({
  name,
  spec: { podSelector: to ? { matchLabels: { ...MONITORING_PODS[to] } } : {}, policyTypes: ["Ingress"], ingress },
});

/** The monitoring namespace's NetworkPolicies: default deny, then one allowance per path the stack uses. */
export function monitoringNetworkPolicies(): NetworkPolicySpecOf[] {
  const P = MONITORING_PORTS;
  return [
    policy("default-deny-ingress", undefined, []),
    // vmagent writes both tiers and scrapes each component's metrics port: one policy per port it
    // needs, never "every pod, every port" (a scrape it is tricked into must find nothing else open).
    // The operator reconciles through the API server and connects to no pod (operator v0.66.1 has no
    // HTTP client outside cmd/config-reloader), so it gets nothing.
    ...VMAGENT_REACHES.map((r) => policy(`vmagent-to-${kebab(r.to)}-${r.port}`, r.to, [{ from: from("vmagent"), ports: tcp(r.port) }])),
    // Each team's experiment vmagent writes the hot tier, and nothing else.
    policy("vminsert-from-experiment-vmagents", "vminsert", [{ from: from("experimentVmagent"), ports: tcp(P.vminsertHttp) }]),
    policy("vmstorage-from-cluster", "vmstorage", [
      { from: from("vminsert"), ports: tcp(P.vmstorageInsert) },
      { from: from("vmselect"), ports: tcp(P.vmstorageSelect) },
      { from: from("backup"), ports: tcp(P.vmstorageHttp) },
    ]),
    policy("vmselect-from-readers", "vmselect", [{ from: from("vmalert", "grafana"), ports: tcp(P.vmselectHttp) }]),
    policy("cold-from-readers", "cold", [{ from: from("grafana", "backup"), ports: tcp(P.vmsingleHttp) }]),
    // Recording rules reach both tiers through vmagent (vmalert.remoteWriteVMAgent).
    policy("vmagent-from-vmalert", "vmagent", [{ from: from("vmalert"), ports: tcp(P.vmagentHttp) }]),
    policy("alertmanager-from-vmalert", "alertmanager", [
      { from: from("vmalert"), ports: tcp(P.alertmanagerHttp) },
      { from: from("alertmanager"), ports: [...tcp(P.alertmanagerCluster), { port: P.alertmanagerCluster, protocol: "UDP" }] },
    ]),
    // The API server calls the operator's validating webhook from the host network; it only answers
    // AdmissionReviews, so its port is open (no data behind it).
    policy("operator-webhook", "operator", [{ ports: tcp(P.operatorWebhook) }]),
  ];
}

export interface MonitoringNetworkPoliciesArgs {
  /** The monitoring namespace (`lab:network.monitoringNamespace`). */
  readonly namespace: string;
  /** Provider and readiness of the cluster. */
  readonly access: ClusterAccess;
}

/** Creates `monitoringNetworkPolicies()` in the monitoring namespace. */
export class MonitoringNetworkPolicies extends pulumi.ComponentResource {
  public readonly names: string[];

  constructor(name: string, args: MonitoringNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:monitoring:MonitoringNetworkPolicies", name, {}, opts);
    const policies = monitoringNetworkPolicies();
    for (const p of policies) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${p.name}`,
        { metadata: { name: p.name, namespace: args.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } }, spec: p.spec },
        { parent: this, provider: args.access.provider },
      );
    }
    this.names = policies.map((p) => p.name);
    this.registerOutputs({ names: this.names });
  }
}

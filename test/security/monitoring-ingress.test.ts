/**
 * Way through 3: the monitoring namespace was open to every pod. A team pod could POST forged
 * samples to vminsert's /insert/0/prometheus/api/v1/import or vmagent's /api/v1/write (a fake
 * `node_timex_offset_seconds` for another team's node), read every team's series from vmselect and
 * create silences in Alertmanager. The generated NetworkPolicies must refuse those connections and
 * keep the stack's own paths.
 *
 * Pod labels are written out from upstream, not taken from the component: operator v0.66.1
 * `SelectorLabels()` (app.kubernetes.io/name = vmagent, vmalert, vmalertmanager, vmsingle; cluster
 * components vminsert/vmselect/vmstorage via ClusterSelectorLabels; instance = the CR name `vmks`,
 * `vmks-cold`), the grafana chart (name grafana, instance = release `vmks`), the operator chart.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, TYPES } from "./harness/cluster";
import { ingressAllowed, type Endpoint, type Policy } from "./harness/network-policy";

useRecorder();

const operatorPod = (name: string, instance = "vmks") => ({
  namespace: "monitoring",
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance, "app.kubernetes.io/component": "monitoring", "managed-by": "vm-operator" },
});
const POD = {
  vmagent: operatorPod("vmagent"),
  vminsert: operatorPod("vminsert"),
  vmselect: operatorPod("vmselect"),
  vmstorage: operatorPod("vmstorage"),
  vmalert: operatorPod("vmalert"),
  alertmanager: operatorPod("vmalertmanager"),
  cold: operatorPod("vmsingle", "vmks-cold"),
  grafana: { namespace: "monitoring", labels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "vmks" } },
  kubeStateMetrics: { namespace: "monitoring", labels: { "app.kubernetes.io/name": "kube-state-metrics", "app.kubernetes.io/instance": "vmks" } },
  backup: { namespace: "monitoring", labels: { "app.kubernetes.io/name": "vmbackup", "app.kubernetes.io/instance": "vmstorage-0" } },
  operator: { namespace: "monitoring", labels: { "app.kubernetes.io/name": "victoria-metrics-operator", "app.kubernetes.io/instance": "vmks" } },
} satisfies Record<string, Endpoint>;

let cluster: GeneratedCluster;
let policies: Policy[];
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
  policies = cluster.inputs(TYPES.networkPolicy);
});

const allowed = (from: Endpoint, to: Endpoint, port: number) => ingressAllowed(policies, (ns) => cluster.namespace(ns).metadata.labels, from, to, port);

describe("way 3: the monitoring stack is open to every pod", () => {
  const teamPod: Endpoint = { namespace: "dst", labels: { app: "attacker" } };
  // A team pod dressed as vmagent: pod selectors in `from` only ever match monitoring's own pods.
  const impostor: Endpoint = { namespace: "dst", labels: POD.vmagent.labels };

  it("refuses team pods writing to either tier, reading series, silencing alerts or reaching storage and Grafana", () => {
    for (const attacker of [teamPod, impostor]) {
      for (const [target, port] of [
        [POD.vminsert, 8480], // /insert/0/prometheus/api/v1/import
        [POD.vmagent, 8429], // /api/v1/write
        [POD.cold, 8428], // cold tier /api/v1/import
        [POD.vmselect, 8481], // every team's series
        [POD.alertmanager, 9093], // silences
        [POD.vmstorage, 8400], [POD.vmstorage, 8401], [POD.vmstorage, 8482],
        [POD.grafana, 3000],
        [POD.kubeStateMetrics, 8080],
      ] as const) {
        expect(allowed(attacker, target, port), `${attacker.labels.app ?? "impostor"} -> ${target.labels["app.kubernetes.io/name"]}:${port}`).toBe(false);
      }
    }
  });

  it("keeps the stack's own paths: scrape, both writes, reads, rules, alerts, storage, backups", () => {
    const paths: Array<[Endpoint, Endpoint, number]> = [
      [POD.vmagent, POD.vminsert, 8480],
      [POD.vmagent, POD.cold, 8428],
      [POD.vmagent, POD.kubeStateMetrics, 8080],
      [POD.vmagent, POD.grafana, 3000],
      [POD.vmalert, POD.vmagent, 8429],
      [POD.vmalert, POD.vmselect, 8481],
      [POD.vmalert, POD.alertmanager, 9093],
      [POD.grafana, POD.vmselect, 8481],
      [POD.grafana, POD.cold, 8428],
      [POD.vminsert, POD.vmstorage, 8400],
      [POD.vmselect, POD.vmstorage, 8401],
      [POD.backup, POD.vmstorage, 8482],
      [POD.backup, POD.cold, 8428],
      [POD.alertmanager, POD.alertmanager, 9094],
    ];
    for (const [from, to, port] of paths) {
      expect(allowed(from, to, port), `${from.labels["app.kubernetes.io/name"]} -> ${to.labels["app.kubernetes.io/name"]}:${port}`).toBe(true);
    }
    // Monitoring still scrapes experiment pods in team namespaces.
    expect(allowed(POD.vmagent, { namespace: "dst", labels: { app: "exp" } }, 9100)).toBe(true);
  });

  it("does not let one monitoring component reach another where nothing needs it", () => {
    expect(allowed(POD.grafana, POD.vminsert, 8480)).toBe(false);
    expect(allowed(POD.grafana, POD.alertmanager, 9093)).toBe(false);
    expect(allowed(POD.vminsert, POD.vmselect, 8481)).toBe(false);
  });
});

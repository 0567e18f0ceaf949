/**
 * Issue 20 item 1, offline: vmagent as a confused deputy. A team pod's /metrics answers `302` to
 * `http://vmselect-vmks.monitoring.svc:8481/delete/0/prometheus/api/v1/admin/tsdb/delete_series?...`
 * (or vmstorage's `/snapshot/delete_all`, the cold tier's delete API). Three layers must each stop it:
 *
 * 1. no scrape object the stack creates follows redirects (operator v0.66.1 EndpointScrapeParams
 *    `json:"follow_redirects"`; unset means followed: VictoriaMetrics v1.133.0 lib/promscrape/config.go
 *    L915-918). The camelCase `followRedirects` is not a field of these CRDs and would be pruned;
 * 2. vmselect, vmstorage and the cold VMSingle refuse admin calls without a generated key, read from
 *    a Secret (the key is never in the plan in clear);
 * 3. vmagent reaches inside the monitoring namespace only what it writes to and the metrics ports it
 *    scrapes: never vmstorage's RPC ports, never the operator's webhook.
 *
 * Flags and ports are written out here from upstream (VictoriaMetrics v1.133.0-cluster
 * app/vmselect/main.go L58-60, app/vmstorage/main.go L43-45; operator defaults), not taken from the
 * component.
 */
import * as yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretSentinel } from "../../tools/plan/redact";
import { loadStackConfig } from "../harness/fixtures";
import { plainInputs, runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, TYPES } from "./harness/cluster";
import { ingressAllowed, type Endpoint, type Policy } from "./harness/network-policy";

useRecorder();

const SCRAPE_KINDS = ["VMServiceScrape", "VMPodScrape", "VMNodeScrape", "VMProbe", "VMStaticScrape", "VMScrapeConfig"];
const crType = (kind: string) => `kubernetes:operator.victoriametrics.com/v1beta1:${kind}`;

/** Every endpoint of a scrape object's spec, whatever its kind. */
function endpointsOf(kind: string, spec: Record<string, any>): Array<Record<string, any>> {
  switch (kind) {
    case "VMServiceScrape":
      return spec.endpoints ?? [];
    case "VMPodScrape":
      return spec.podMetricsEndpoints ?? [];
    case "VMStaticScrape":
      return spec.targetEndpoints ?? [];
    default:
      return [spec];
  }
}

const pod = (name: string, instance = "vmks"): Endpoint => ({ namespace: "monitoring", labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance } });
const POD = {
  vmagent: pod("vmagent"),
  vminsert: pod("vminsert"),
  vmselect: pod("vmselect"),
  vmstorage: pod("vmstorage"),
  vmalert: pod("vmalert"),
  alertmanager: pod("vmalertmanager"),
  cold: pod("vmsingle", "vmks-cold"),
  grafana: pod("grafana"),
  kubeStateMetrics: pod("kube-state-metrics"),
  operator: pod("victoria-metrics-operator"),
} as const;

let cluster: GeneratedCluster;
let policies: Policy[];
let values: any;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
  policies = cluster.inputs(TYPES.networkPolicy);
  values = yaml.load(cluster.inputs(TYPES.helmChart).find((h) => h.metadata.name === "vmks").spec.valuesContent);
});

describe("item 1: a team pod redirects vmagent's scrape into the monitoring stack", () => {
  it("every scrape object the stack creates denies redirects on every endpoint", () => {
    let endpoints = 0;
    for (const kind of SCRAPE_KINDS) {
      for (const object of cluster.inputs(crType(kind))) {
        for (const endpoint of endpointsOf(kind, object.spec)) {
          expect(endpoint.follow_redirects, `${kind} ${object.metadata.name}`).toBe(false);
          expect(endpoint, `${kind} ${object.metadata.name}: followRedirects is pruned by the CRD`).not.toHaveProperty("followRedirects");
          endpoints++;
        }
      }
    }
    // The experiment scrape (the one a team's pods answer) is among them.
    expect(cluster.inputs(crType("VMPodScrape")).map((o) => o.metadata.name)).toContain("experiment-dst");
    expect(endpoints).toBeGreaterThanOrEqual(9);
  });

  it("the chart's own scrape of Grafana denies redirects too", () => {
    expect(values.grafana.vmScrape.spec.endpoints).toEqual([expect.objectContaining({ follow_redirects: false })]);
  });

  it("vmselect, vmstorage and the cold tier require keys for delete, snapshot, merge, flush and cache-reset APIs", () => {
    const keyed = (extraArgs: Record<string, string> | undefined, flags: string[]) => {
      for (const flag of flags) expect(extraArgs?.[flag], flag).toMatch(/^file:\/\/\/etc\/vm\/secrets\/[-a-z0-9]+\/[-a-z0-9]+$/);
    };
    const select = ["deleteAuthKey", "search.resetCacheAuthKey", "metricNamesStatsResetAuthKey"];
    const storage = ["snapshotAuthKey", "forceMergeAuthKey", "forceFlushAuthKey", "logNewSeriesAuthKey"];
    const spec = values.vmcluster.spec;
    keyed(spec.vmselect.extraArgs, select);
    keyed(spec.vmstorage.extraArgs, storage);
    const cold = cluster.inputs(crType("VMSingle")).find((o) => o.metadata.name === "vmks-cold");
    keyed(cold.spec.extraArgs, [...select, ...storage]);
    // The files come from a Secret the pods mount (operator `secrets` → /etc/vm/secrets/<name>/).
    const secretOf = (arg: string) => arg.split("/")[6];
    for (const [args, secrets] of [[spec.vmselect.extraArgs, spec.vmselect.secrets], [spec.vmstorage.extraArgs, spec.vmstorage.secrets], [cold.spec.extraArgs, cold.spec.secrets]]) {
      expect(secrets).toContain(secretOf(args.deleteAuthKey ?? args.snapshotAuthKey));
    }
  });

  it("the keys are generated and secret: never in the chart values or the plan in clear", () => {
    const name = values.vmcluster.spec.vmselect.extraArgs.deleteAuthKey.split("/")[6];
    const record = cluster.run.ofType(TYPES.secret).find((r) => plainInputs(r).metadata.name === name)!;
    expect(record, `Secret ${name}`).toBeDefined();
    // The whole stringData arrives at the engine marked secret (the plan writes "[secret]").
    expect(isSecretSentinel(record.inputs.stringData)).toBe(true);
    expect(JSON.stringify(values)).not.toMatch(/authKey=/);
    // One generated password per key, none typed in by an operator.
    const passwords = cluster.run.ofType("random:index/randomPassword:RandomPassword").map((r) => r.name);
    expect(passwords.filter((n) => /delete|snapshot/.test(n))).toHaveLength(2);
  });

  it("vmagent reaches only the write endpoints and the metrics ports it scrapes, not storage RPC or other ports", () => {
    const allowed = (to: Endpoint, port: number) => ingressAllowed(policies, (ns) => cluster.namespace(ns).metadata.labels, POD.vmagent, to, port);
    const expected: Array<[keyof typeof POD, number]> = [
      ["vminsert", 8480], ["cold", 8428], ["vmagent", 8429], ["vmselect", 8481], ["vmstorage", 8482],
      ["vmalert", 8080], ["alertmanager", 9093], ["grafana", 3000], ["kubeStateMetrics", 8080], ["operator", 8080],
      // Open to every source: the API server calls the webhook from the host network.
      ["operator", 9443],
    ];
    const ports = [3000, 8080, 8081, 8400, 8401, 8428, 8429, 8480, 8481, 8482, 9093, 9094, 9443];
    for (const target of Object.keys(POD) as Array<keyof typeof POD>) {
      for (const port of ports) {
        const want = expected.some(([t, p]) => t === target && p === port);
        expect(allowed(POD[target], port), `vmagent -> ${target}:${port}`).toBe(want);
      }
    }
  });

  it("a team's experiment vmagent writes the hot tier and nothing else; the platform vmagent reads its drop counters", () => {
    // Operator selector labels of VMAgent exp-dst plus its podMetadata label (team-vmagents.ts).
    const team: Endpoint = { namespace: "monitoring", labels: { "app.kubernetes.io/name": "vmagent", "app.kubernetes.io/instance": "exp-dst", "lab-scrape": "experiment" } };
    const allowed = (from: Endpoint, to: Endpoint, port: number) => ingressAllowed(policies, (ns) => cluster.namespace(ns).metadata.labels, from, to, port);
    expect(allowed(team, POD.vminsert, 8480)).toBe(true);
    for (const [target, port] of [["cold", 8428], ["vmselect", 8481], ["vmstorage", 8482], ["vmstorage", 8400], ["vmagent", 8429], ["alertmanager", 9093]] as const) {
      expect(allowed(team, POD[target], port), `exp-dst -> ${target}:${port}`).toBe(false);
    }
    expect(allowed(POD.vmagent, team, 8429)).toBe(true);
    expect(allowed(POD.vmalert, team, 8429)).toBe(false);
  });

  it("the operator connects to no pod: it gets no ingress anywhere in the namespace", () => {
    for (const target of Object.keys(POD) as Array<keyof typeof POD>) {
      for (const port of [8080, 8400, 8401, 8428, 8429, 8480, 8481, 8482, 9093]) {
        expect(ingressAllowed(policies, (ns) => cluster.namespace(ns).metadata.labels, POD.operator, POD[target], port), `operator -> ${target}:${port}`).toBe(false);
      }
    }
  });
});

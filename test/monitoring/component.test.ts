/**
 * The Monitoring layer under mocks, as the plan shows it: the pinned chart with values from the model,
 * one scrape object per job with its tier's interval, limits and allow-list, the cold VMSingle, the
 * backup CronJobs and the alert routing, all following the config.
 */
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { coldRelabelConfigs, keepRegex, ALLOW_LISTS } from "../../components/monitoring/metrics";
import { NODE_EXPORTER_DEVICE_EXCLUDE } from "../../components/monitoring/node-exporter";
import { OPERATOR_CRDS } from "../../components/monitoring/monitoring";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { plainInputs, runLab, useRecorder, type LabRun } from "../harness/pulumi";

useRecorder();

const example = loadStackConfig();
const VM = "kubernetes:operator.victoriametrics.com/v1beta1";

function values(run: LabRun): any {
  return yaml.load(plainInputs(run.get("kubernetes:helm.cattle.io/v1:HelmChart", "vmks")).spec.valuesContent);
}

function scrapeObjects(run: LabRun) {
  return run.records.filter((r) => /Scrape$/.test(r.type) && r.type.startsWith(`${VM}:VM`) && run.ancestor(r, "lab:monitoring:Monitoring"));
}

/** The endpoint of any scrape kind (VMNodeScrape keeps it at the top of its spec). */
function endpointOf(spec: any): any {
  return spec.endpoints?.[0] ?? spec.podMetricsEndpoints?.[0] ?? spec;
}

/** Every `resources` map under a value, with its path. */
function resourceMaps(value: unknown, path = ""): Array<[string, any]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => resourceMaps(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === "resources" ? [[`${path}.${k}`, v] as [string, any]] : []), ...resourceMaps(v, `${path}.${k}`)]);
}

describe("Monitoring (example lab)", () => {
  it("installs the pinned chart into the monitoring namespace, after the namespace, with the cluster provider", async () => {
    const run = await runLab(example);
    const chart = run.get("kubernetes:helm.cattle.io/v1:HelmChart", "vmks");
    const spec = plainInputs(chart).spec;
    expect(spec).toMatchObject({ chart: "victoria-metrics-k8s-stack", version: "0.67.0", targetNamespace: "monitoring", createNamespace: false });
    expect(chart.dependsOn).toContain(run.get("kubernetes:core/v1:Namespace", "monitoring").urn);
    expect(chart.provider).toMatch(/[:$]pulumi:providers:kubernetes::/);
    expect(run.ancestor(chart, "lab:monitoring:Monitoring")).toBeDefined();
  });

  it("generates the chart values from the model: hot VMCluster, cold remote write, Grafana interval, exporter flags", async () => {
    const run = await runLab(example);
    const v = values(run);
    expect(v.vmsingle).toEqual({ enabled: false });
    expect(v.vmcluster.spec).toMatchObject({
      retentionPeriod: "6w",
      replicationFactor: 2,
      vmstorage: { replicaCount: 3, storage: { volumeClaimTemplate: { spec: { storageClassName: "longhorn-vaclab", resources: { requests: { storage: "200Gi" } } } } } },
    });
    expect(v.vmagent.spec.scrapeInterval).toBe("30s");
    expect(v.vmagent.spec.externalLabels).toEqual({ cluster: "vaclab" });
    expect(v.vmagent.spec.remoteWrite).toBeUndefined(); // 0.67.0 would replace the hot-tier write
    expect(v.vmagent.additionalRemoteWrites).toEqual([
      { url: "http://vmsingle-vmks-cold.monitoring.svc:8428/api/v1/write", inlineUrlRelabelConfig: coldRelabelConfigs() },
    ]);
    expect(v.vmalert.remoteWriteVMAgent).toBe(true);
    expect(v.defaultDatasources.victoriametrics.datasources).toEqual([expect.objectContaining({ isDefault: true, jsonData: { timeInterval: "30s" } })]);
    expect(v.defaultDatasources.extra).toEqual([expect.objectContaining({ url: "http://vmsingle-vmks-cold.monitoring.svc:8428", jsonData: { timeInterval: "5m" } })]);
    expect(v["kube-state-metrics"].metricLabelsAllowlist).toEqual(["nodes=[lab.vac.dev/pool,lab.vac.dev/lease-team]"]);
    expect(v["kube-state-metrics"].metricAnnotationsAllowList).toEqual([
      "nodes=[lab.vac.dev/lease-from,lab.vac.dev/lease-until,lab.vac.dev/next-lease-team,lab.vac.dev/next-lease-from,lab.vac.dev/next-lease-until]",
    ]);
    const ne = v["prometheus-node-exporter"];
    expect(ne.extraArgs).toContain(`--collector.netdev.device-exclude=${NODE_EXPORTER_DEVICE_EXCLUDE}`);
    expect(ne.extraArgs).toContain(`--collector.textfile.directory=${run.model.hosts.textfileDir}`);
    expect(ne.extraHostVolumeMounts).toEqual([expect.objectContaining({ hostPath: "/var/lib/node_exporter/textfile", mountPath: "/var/lib/node_exporter/textfile", readOnly: true })]);
    // The chart's own scrapes of the same targets are off; the kubelet rules stay on.
    expect(ne.vmScrape).toEqual({ enabled: false });
    expect(v["kube-state-metrics"].vmScrape).toEqual({ enabled: false });
    expect(v.kubelet).toEqual({ enabled: true, vmScrapes: null, vmScrape: { enabled: false } });
    expect(v["kube-state-metrics"].metricAllowlist).toContain("kube_pod_info");
  });

  it("routes alerts to configured receivers, never only to a blackhole", async () => {
    const am = values(await runLab(example)).alertmanager;
    expect(am.useManagedConfig).toBe(false);
    expect(am.config.route.receiver).toBe("operators");
    expect(am.config.route.routes).toContainEqual(expect.objectContaining({ matchers: ['comparability="true"'], receiver: "experiments" }));
    expect(am.config.receivers.map((r: any) => r.name)).toEqual(["null", "experiments", "operators"]);
    expect(am.spec.secrets).toEqual(["alert-receivers"]);
    expect(JSON.stringify(am.config)).not.toMatch(/blackhole/);
  });

  it("declares requests and limits on every resources map it sets", async () => {
    const maps = resourceMaps(values(await runLab(example))).filter(([, r]) => !r.requests?.storage);
    expect(maps.length).toBeGreaterThanOrEqual(11);
    for (const [path, r] of maps) {
      expect(r, path).toEqual({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { cpu: expect.any(String), memory: expect.any(String) } });
    }
  });

  it("creates one scrape object per job with its tier's interval, limits and allow-list, after the operator's CRDs", async () => {
    const run = await runLab(example);
    const gate = run.get("command:remote:Command", "vmks-crds-wait");
    expect(plainInputs(gate).create).toContain(`crd/${OPERATOR_CRDS[0]}`);
    const byName = Object.fromEntries(scrapeObjects(run).map((r) => [plainInputs(r).metadata.name, r]));
    expect(Object.keys(byName).sort()).toEqual([
      "cadvisor", "experiment-dst", "experiment-nomos", "kube-ovn-cni", "kube-ovn-controller", "kube-ovn-monitor", "kube-ovn-pinger",
      "kube-state-metrics", "kubelet", "node-exporter", "node-exporter-inventory",
    ]);
    const expectations: Record<string, [string, string, number, string]> = {
      "node-exporter": ["VMServiceScrape", "30s", 3000, "node-exporter"],
      "node-exporter-inventory": ["VMServiceScrape", "60s", 3000, "node-inventory"],
      kubelet: ["VMNodeScrape", "30s", 2000, "kubelet"],
      cadvisor: ["VMNodeScrape", "30s", 10000, "cadvisor"],
      "kube-state-metrics": ["VMServiceScrape", "30s", 50000, "kube-state-metrics"],
      "kube-ovn-pinger": ["VMServiceScrape", "30s", 20000, "kube-ovn-pinger"],
      "experiment-dst": ["VMPodScrape", "10s", 5000, "experiment"],
    };
    for (const [name, [kind, interval, series, list]] of Object.entries(expectations)) {
      const record = byName[name];
      expect(record.type, name).toBe(`${VM}:${kind}`);
      // Depending on the gate component means waiting for its command.
      expect(record.dependsOn, name).toContain(gate.urn);
      const e = endpointOf(plainInputs(record).spec);
      expect(e, name).toMatchObject({ interval, seriesLimit: series, sampleLimit: 2 * series });
      expect(e.metricRelabelConfigs.at(-1), name).toEqual({ action: "keep", source_labels: ["__name__"], regex: keepRegex(ALLOW_LISTS[list as keyof typeof ALLOW_LISTS]) });
      expect(e.relabelConfigs, name).toContainEqual({ target_label: "tier", replacement: name.startsWith("experiment") ? "experiment" : name.endsWith("inventory") ? "inventory" : "infra" });
    }
    expect(endpointOf(plainInputs(byName.cadvisor).spec)).toMatchObject({ path: "/metrics/cadvisor", honorTimestamps: false, scheme: "https" });
    expect(endpointOf(plainInputs(byName["node-exporter-inventory"]).spec).params).toEqual({ "collect[]": ["textfile", "uname", "os", "dmi"] });
  });

  it("scrapes experiment pods only in team namespaces, only when they opt in by port name, labelled with their experiment", async () => {
    const run = await runLab(example);
    const spec = plainInputs(scrapeObjects(run).find((r) => r.name === "scrape-experiment-dst")!).spec;
    // One object per team: each team's vmagent scrapes its own namespace only (team-vmagents.ts).
    expect(spec.namespaceSelector).toEqual({ matchNames: ["dst"] });
    expect(plainInputs(scrapeObjects(run).find((r) => r.name === "scrape-experiment-nomos")!).spec.namespaceSelector).toEqual({ matchNames: ["nomos"] });
    expect(spec.podMetricsEndpoints[0].port).toBe("metrics");
    expect(spec.podMetricsEndpoints[0].relabelConfigs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_label_lab_vac_dev_experiment"], target_label: "experiment_id" });
    // The pod picks its experiment id; namespace and node are discovery's and win over its own labels.
    expect(spec.podMetricsEndpoints[0].relabelConfigs).toContainEqual({ source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" });
    expect(spec.podMetricsEndpoints[0].honorLabels).toBe(false);
    const none = await runLab(withChanges(example, (c) => { c["lab:teams"] = []; delete c["lab:leases"]; }));
    expect(scrapeObjects(none).map((r) => r.name).filter((n) => n.startsWith("scrape-experiment"))).toEqual([]);
  });

  it("runs the cold tier as a VMSingle with its own retention and the cold resolution as dedup interval", async () => {
    const run = await runLab(example);
    const cold = plainInputs(run.get(`${VM}:VMSingle`, "vmks-cold")).spec;
    expect(cold).toMatchObject({
      retentionPeriod: "2y",
      extraArgs: { "dedup.minScrapeInterval": "5m" },
      image: { repository: "victoriametrics/victoria-metrics", tag: "v1.133.0" },
      storage: { storageClassName: "longhorn-vaclab", resources: { requests: { storage: "20Gi" } } },
    });
  });

  it("backs up every vmstorage replica and the cold tier to the configured target, credentials by Secret reference only", async () => {
    const run = await runLab(example);
    const jobs = run.ofType("kubernetes:batch/v1:CronJob", "lab:monitoring:Monitoring").map(plainInputs);
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(["vmbackup-cold", "vmbackup-vmstorage-0", "vmbackup-vmstorage-1", "vmbackup-vmstorage-2"]);
    const job = jobs.find((j) => j.metadata.name === "vmbackup-vmstorage-1")!;
    expect(job.spec).toMatchObject({ schedule: "17 * * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
    const pod = job.spec.jobTemplate.spec.template.spec;
    const [backup] = pod.initContainers;
    expect(backup.image).toBe("victoriametrics/vmbackup:v1.133.0");
    expect(backup.command[2]).toContain("'-dst=s3://vaclab-metrics/victoria-metrics/vmstorage-1/latest'");
    expect(backup.command[2]).toContain("-snapshot.createURL=http://vmstorage-vmks-1.vmstorage-vmks.monitoring.svc:8482/snapshot/create");
    expect(backup.command[2]).toContain("-customS3Endpoint=http://garage.lab.vac.dev:3900");
    expect(backup.envFrom).toEqual([{ secretRef: { name: "vmbackup-s3" } }]);
    expect(pod.containers[0]).toMatchObject({ name: "prune", image: "amazon/aws-cli:2.27.9" });
    expect(pod.volumes[0]).toEqual({ name: "data", persistentVolumeClaim: { claimName: "vmstorage-db-vmstorage-vmks-1", readOnly: true } });
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels).toEqual({ "statefulset.kubernetes.io/pod-name": "vmstorage-vmks-1" });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.resources.requests.cpu && c.resources.limits.memory, c.name).toBeTruthy();
      expect(c.image).toMatch(/:[0-9v][^:]*$/);
    }
    expect(JSON.stringify(jobs)).not.toMatch(/AWS_SECRET_ACCESS_KEY"?\s*[:=]/);
  });

  it("follows the config: fs:// targets mount the NFS export, no backup section means no CronJob, intervals move everything", async () => {
    const fsRun = await runLab(withChanges(example, (c) => (c["lab:monitoring"].backup = { target: "fs:///mnt/vm-backups", nfs: { server: "192.0.2.50", path: "/export/vm" }, keepDaily: 7 })));
    const pod = plainInputs(fsRun.ofType("kubernetes:batch/v1:CronJob", "lab:monitoring:Monitoring")[0]).spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "target", nfs: { server: "192.0.2.50", path: "/export/vm" } });
    expect(pod.containers[0].image).toBe("victoriametrics/vmbackup:v1.133.0");
    expect(pod.containers[0].command[2]).toContain("tail -n +8");

    const none = await runLab(withChanges(example, (c) => delete c["lab:monitoring"].backup));
    expect(none.ofType("kubernetes:batch/v1:CronJob", "lab:monitoring:Monitoring")).toEqual([]);

    const faster = await runLab(withChanges(example, (c) => (c["lab:monitoring"].scrapeIntervals.infra = "15s")));
    expect(values(faster).defaultDatasources.victoriametrics.datasources[0].jsonData.timeInterval).toBe("15s");
    expect(endpointOf(plainInputs(scrapeObjects(faster).find((r) => r.name === "scrape-kubelet")!).spec).interval).toBe("15s");
  });
});

/**
 * LabHealth under mocks: the VMRules, dashboard ConfigMaps and calibration objects it registers,
 * with the monitoring layer's facts passed in as args, on the bootstrap layer's provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { cronJobName, labelValue } from "../../components/health/calibration/jobs";
import { calibrationScript } from "../../components/health/calibration/scripts";
import { healthContext } from "../../components/health/context";
import { labDashboards } from "../../components/health/dashboards";
import { LabHealth, type LabHealthArgs } from "../../components/health/lab-health";
import { leaseRuleGroup } from "../../components/health/lease-rules";
import { ruleGroups } from "../../components/health/rules";
import { crdEstablished, ReadinessGate } from "../../components/shared/readiness-gate";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import { settle, type ResourceRecord } from "../../tools/plan/recorder";
import { testClusterAccess } from "../harness/cluster-access";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { currentRecorder, plainInputs, runLab, useRecorder } from "../harness/pulumi";

useRecorder();

const example = loadStackConfig();
const VMRULE = "kubernetes:operator.victoriametrics.com/v1beta1:VMRule";
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const DAEMONSET = "kubernetes:apps/v1:DaemonSet";

async function build(change: (c: any) => void = () => {}, args: Partial<LabHealthArgs> = {}): Promise<{ model: LabModel; records: ResourceRecord[]; access: ReturnType<typeof testClusterAccess> }> {
  const recorder = currentRecorder();
  recorder.reset();
  const model = loadLabModel(withChanges(example, change), pulumi.getStack());
  const access = testClusterAccess();
  new LabHealth("health", { model, access, ...args });
  await settle();
  return { model, records: [...recorder.records], access };
}

const ofType = (records: readonly ResourceRecord[], type: string) => records.filter((r) => r.type === type);

describe("LabHealth", () => {
  it("is wired into the Lab of the example stack", async () => {
    const run = await runLab(example);
    const health = run.get("lab:health:LabHealth", "health");
    expect(run.byUrn(health.parent)?.type).toBe("lab:index:Lab");
    expect(run.ofType(VMRULE)).toHaveLength(6);
  });

  it("puts every rule group in its own VMRule in the monitoring namespace, on the cluster provider", async () => {
    const { model, records, access } = await build();
    const providerUrn = await new Promise<string>((resolve) => access.provider.urn.apply(resolve));
    const rules = ofType(records, VMRULE);
    const groups = [...ruleGroups(healthContext(model)), leaseRuleGroup(model)];
    // Records arrive in the order their inputs resolve, not in creation order: match them by name.
    expect(rules.map((r) => plainInputs(r).metadata.name).sort()).toEqual(groups.map((g) => g.name).sort());
    for (const record of rules) {
      const inputs = plainInputs(record);
      expect(inputs.apiVersion).toBe("operator.victoriametrics.com/v1beta1");
      expect(inputs.metadata.namespace).toBe("monitoring");
      expect(inputs.spec.groups).toEqual([JSON.parse(JSON.stringify(groups.find((g) => g.name === inputs.metadata.name)))]);
      expect(record.provider.startsWith(`${providerUrn}::`)).toBe(true);
    }
  });

  it("makes the VMRules wait for the monitoring layer's CRD gate", async () => {
    const recorder = currentRecorder();
    recorder.reset();
    const model = loadLabModel(example, pulumi.getStack());
    const access = testClusterAccess();
    const gate = new ReadinessGate("vm-operator-crds", { connection: access.gateConnection, checks: [crdEstablished("vmrules.operator.victoriametrics.com")] });
    new LabHealth("health", { model, access, dependsOn: [gate], namespace: "vmetrics" });
    await settle();
    const gateCommand = recorder.records.find((r) => r.type === "command:remote:Command" && r.name === "vm-operator-crds-wait")!;
    const rules = ofType(recorder.records, VMRULE);
    expect(rules).toHaveLength(6);
    for (const r of rules) {
      expect(r.dependsOn).toContain(gateCommand.urn);
      expect(plainInputs(r).metadata.namespace).toBe("vmetrics");
    }
  });

  it("provisions each dashboard as a ConfigMap the Grafana sidecar picks up, in a folder", async () => {
    const { model, records } = await build(() => {}, { dashboardFolderAnnotation: "k8s-sidecar-target-directory", dashboardFolder: "/tmp/dashboards/health" });
    const maps = ofType(records, CONFIGMAP).map(plainInputs).filter((m) => m.metadata.namespace === "monitoring");
    const dashboards = labDashboards(healthContext(model));
    expect(maps).toHaveLength(dashboards.length);
    for (const [i, map] of maps.entries()) {
      expect(map.metadata.labels.grafana_dashboard).toBe("1");
      expect(map.metadata.annotations).toEqual({ "k8s-sidecar-target-directory": "/tmp/dashboards/health" });
      expect(map.metadata.namespace).toBe("monitoring");
      expect(JSON.parse(map.data[`${dashboards[i].uid}.json`])).toEqual(JSON.parse(JSON.stringify(dashboards[i])));
    }
  });

  it("schedules one calibration CronJob per node of the experiment pools, in the window, pinned to its node", async () => {
    const { records } = await build();
    const jobs = ofType(records, CRONJOB).map(plainInputs);
    expect(jobs.map((j) => j.metadata.name)).toEqual(["calibrate-node-02", "calibrate-node-03", "calibrate-node-04", "calibrate-node-05", "calibrate-node-06"]);
    const job = jobs[1];
    expect(job.metadata.namespace).toBe("lab-calibration");
    expect(job.spec).toMatchObject({ schedule: "0 2 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
    expect(job.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3 * 3600);
    const pod = job.spec.jobTemplate.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/hostname": "node-03" });
    expect(pod.tolerations).toEqual([{ key: "lab.vac.dev/pool", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.serviceAccountName).toBe("lab-calibration");
    expect([...pod.initContainers, ...pod.containers].map((c: any) => c.name)).toEqual(["check", "network", "disk", "compute"]);
    const env = Object.fromEntries(pod.initContainers[1].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      NODE_NAME: "node-03",
      NODE_INDEX: "1",
      POOL_NODES: "node-02 node-03 node-04 node-05",
      POOL_ADDRESSES: "192.0.2.12 192.0.2.13 192.0.2.14 192.0.2.15",
      TEAM_NAMESPACES: "dst nomos",
      WINDOW_START_MINUTES: "120",
      WINDOW_END_MINUTES: "300",
    });
    expect(pod.volumes.find((v: any) => v.name === "textfile").hostPath).toEqual({ path: "/var/lib/node_exporter/textfile", type: "Directory" });
  });

  it("runs each step's script from one ConfigMap in the calibration namespace, mounted read-only, not inline in every CronJob", async () => {
    const { records } = await build();
    const scripts = ofType(records, CONFIGMAP).map(plainInputs).filter((m) => m.metadata.namespace === "lab-calibration");
    expect(scripts.map((m) => m.metadata.name)).toEqual(["lab-calibration-scripts"]);
    for (const job of ofType(records, CRONJOB).map(plainInputs)) {
      const pod = job.spec.jobTemplate.spec.template.spec;
      expect(pod.volumes.find((v: any) => v.name === "scripts")).toEqual({ name: "scripts", configMap: { name: "lab-calibration-scripts" } });
      for (const c of [...pod.initContainers, ...pod.containers]) {
        const mount = c.volumeMounts.find((m: any) => m.name === "scripts");
        expect(mount, c.name).toEqual({ name: "scripts", mountPath: "/scripts", readOnly: true });
        // The file the container runs is the step's script (the kubelet projects data keys as file names).
        expect(c.command[0], c.name).toBe("/bin/sh");
        expect(c.command.slice(1), c.name).toEqual([`${mount.mountPath}/${c.name}.sh`]);
        expect(scripts[0].data[`${c.name}.sh`], c.name).toBe(calibrationScript(c.name));
        expect(JSON.stringify(c).length, c.name).toBeLessThan(2000);
      }
    }
  });

  it("gives every calibration container requests and limits and a pinned image", async () => {
    const { records } = await build();
    const pods = [
      ...ofType(records, CRONJOB).map((r) => plainInputs(r).spec.jobTemplate.spec.template.spec),
      ...ofType(records, DAEMONSET).map((r) => plainInputs(r).spec.template.spec),
    ];
    const containers = pods.flatMap((p) => [...(p.initContainers ?? []), ...p.containers]);
    expect(containers.length).toBe(5 * 4 + 1);
    for (const c of containers) {
      for (const kind of ["requests", "limits"]) {
        expect(c.resources[kind].cpu, `${c.name} ${kind}.cpu`).toBeTruthy();
        expect(c.resources[kind].memory, `${c.name} ${kind}.memory`).toBeTruthy();
      }
      expect(c.image).toMatch(/:[\w][\w.-]*$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  it("runs the iperf3 servers only on the calibrated pools, and lists pods read-only", async () => {
    const { records } = await build((c) => (c["lab:health"] = { calibration: { pools: ["nomos"] } }));
    const ds = plainInputs(ofType(records, DAEMONSET)[0]);
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "lab.vac.dev/pool", operator: "In", values: ["nomos"] },
    ]);
    expect(ofType(records, CRONJOB).map((r) => plainInputs(r).metadata.name)).toEqual(["calibrate-node-06"]);
    const role = plainInputs(ofType(records, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")[0]);
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
  });

  it("creates no calibration objects when calibration is disabled", async () => {
    const { records } = await build((c) => (c["lab:health"] = { calibration: { enabled: false } }));
    expect(ofType(records, CRONJOB)).toEqual([]);
    expect(ofType(records, DAEMONSET)).toEqual([]);
    expect(ofType(records, "kubernetes:core/v1:Namespace")).toEqual([]);
    expect(ofType(records, VMRULE)).toHaveLength(6);
  });
});

describe("calibration object names", () => {
  it("fit Kubernetes limits for long, dotted node names", () => {
    expect(cronJobName("metal-01.he-eu-hel1.misc.vacdst")).toBe("calibrate-metal-01-he-eu-hel1-misc-vacdst");
    expect(cronJobName("a".repeat(60)).length).toBeLessThanOrEqual(52);
    expect(labelValue(`${"b".repeat(62)}.c`)).toBe("b".repeat(62));
  });
});

/**
 * Issue 20 item 4: one team exhausts the lab-wide series budget. A vmagent has one
 * `-remoteWrite.maxDailySeries` limiter for everything it sends (VictoriaMetrics v1.133.0
 * app/vmagent/remotewrite/remotewrite.go L770-785); when team pods and platform targets share a
 * vmagent, 420 pods × 5,000 series of one team drop every new series of every team and of the
 * platform for 24h.
 *
 * From the attacker's side: for each vmagent the stack runs (the chart's platform VMAgent and each
 * VMAgent the program creates), which scrape objects it selects (operator v0.66.1
 * k8stools/selectors.go VisitSelected: with selectAllByDefault false, a kind with neither selector
 * selects nothing; a nil selector beside a namespace selector selects everything there), and whose
 * pods those objects reach. A team's pods must feed only a vmagent that no platform target and no
 * other team shares, and its budget must be its cpu share of lab:monitoring.seriesBudgets.experimentDailySeries.
 */
import * as yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { selectorMatches } from "./harness/admission";
import { GeneratedCluster, TYPES } from "./harness/cluster";

useRecorder();

const VM = "kubernetes:operator.victoriametrics.com/v1beta1";
/** Scrape kinds and their VMAgent selector field prefixes (operator v0.66.1 vmagent_types.go L116-196). */
const KINDS = { VMServiceScrape: "serviceScrape", VMPodScrape: "podScrape", VMNodeScrape: "nodeScrape", VMProbe: "probe", VMStaticScrape: "staticScrape", VMScrapeConfig: "scrapeConfig" } as const;

interface Agent {
  readonly name: string;
  readonly spec: Record<string, any>;
}
interface ScrapeObject {
  readonly kind: keyof typeof KINDS;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Namespaces whose pods/services it scrapes; undefined: nodes (no namespace). */
  readonly targets?: readonly string[];
}

let cluster: GeneratedCluster;
let agents: Agent[];
let objects: ScrapeObject[];
let teams: Array<{ name: string; namespace: string; cpu: number }>;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
  const values: any = yaml.load(cluster.inputs(TYPES.helmChart).find((h) => h.metadata.name === "vmks").spec.valuesContent);
  agents = [{ name: "vmks", spec: values.vmagent.spec }, ...cluster.inputs(`${VM}:VMAgent`).map((a) => ({ name: a.metadata.name, spec: a.spec }))];
  objects = (Object.keys(KINDS) as Array<keyof typeof KINDS>).flatMap((kind) =>
    cluster.inputs(`${VM}:${kind}`).map((o) => ({ kind, name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels ?? {}, targets: o.spec.namespaceSelector?.matchNames })),
  );
  teams = cluster.run.model.teams.map((t) => ({ name: t.name, namespace: t.namespace, cpu: t.quota.cpu }));
});

function selects(agent: Agent, object: ScrapeObject): boolean {
  const prefix = KINDS[object.kind];
  const selector = agent.spec[`${prefix}Selector`];
  const nsSelector = agent.spec[`${prefix}NamespaceSelector`];
  if (!agent.spec.selectAllByDefault && selector === undefined && nsSelector === undefined) return false;
  return selectorMatches(nsSelector, cluster.namespace(object.namespace).metadata.labels) && selectorMatches(selector, object.labels);
}

const flag = (agent: Agent) => Number(agent.spec.extraArgs?.["remoteWrite.maxDailySeries"]);

describe("item 4: one team's series exhaust the budget of every team and of the platform", () => {
  it("every scrape object is run by exactly one vmagent", () => {
    expect(objects.length).toBeGreaterThanOrEqual(11);
    for (const o of objects) expect(agents.filter((a) => selects(a, o)).map((a) => a.name), `${o.kind} ${o.name}`).toHaveLength(1);
  });

  it("a team's pods feed a vmagent that no platform target and no other team shares", () => {
    for (const team of teams) {
      const feeding = agents.filter((a) => objects.some((o) => selects(a, o) && o.targets?.includes(team.namespace)));
      expect(feeding.map((a) => a.name), team.name).toHaveLength(1);
      const [agent] = feeding;
      for (const o of objects.filter((x) => selects(agent, x))) {
        expect(o.targets, `${agent.name} also runs ${o.kind} ${o.name}`).toEqual([team.namespace]);
      }
    }
  });

  it("the platform vmagent scrapes no team namespace, so its budget counts platform series only", () => {
    const platform = agents[0];
    const selected = objects.filter((o) => selects(platform, o));
    expect(selected.map((o) => o.name)).toEqual(expect.arrayContaining(["node-exporter", "kube-state-metrics", "kubelet", "cadvisor", "kube-ovn-pinger"]));
    for (const o of selected) for (const t of teams) expect(o.targets ?? [], o.name).not.toContain(t.namespace);
    expect(flag(platform)).toBe(2_000_000);
  });

  it("each team's budget is its cpu share of experimentDailySeries (default 2,000,000)", () => {
    const total = teams.reduce((s, t) => s + t.cpu, 0);
    for (const team of teams) {
      const agent = agents.find((a) => objects.some((o) => selects(a, o) && o.targets?.includes(team.namespace)))!;
      expect(flag(agent), team.name).toBe(Math.max(5000, Math.floor((2_000_000 * team.cpu) / total)));
    }
    // Together within the lab-wide experiment budget (plus at most one target's worth per team).
    const sum = teams.reduce((s, t) => s + flag(agents.find((a) => objects.some((o) => selects(a, o) && o.targets?.includes(t.namespace)))!), 0);
    expect(sum).toBeLessThanOrEqual(2_000_000 + 5000 * teams.length);
  });

  it("the attack of the issue (420 pods × 5,000 new series of one team) stays within that team's vmagent", () => {
    const flood = 420 * 5000;
    const [attacker, victim] = teams;
    const budgetOf = (team: string) => flag(agents.find((a) => objects.some((o) => selects(a, o) && o.targets?.includes(team)))!);
    expect(flood).toBeGreaterThan(budgetOf(attacker.namespace));
    // The victim's and the platform's limiters never see the flood.
    const victimAgent = agents.find((a) => objects.some((o) => selects(a, o) && o.targets?.includes(victim.namespace)))!;
    expect(objects.filter((o) => selects(victimAgent, o)).flatMap((o) => o.targets ?? [])).not.toContain(attacker.namespace);
    expect(objects.filter((o) => selects(agents[0], o)).flatMap((o) => o.targets ?? [])).not.toContain(attacker.namespace);
  });
});

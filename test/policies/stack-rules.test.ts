/**
 * The stack rules (quota objects per team namespace, no overcommit), on hand-made records and on the
 * real program: the example lab passes the whole pack; a lab built from a tampered model (the config
 * check bypassed) is caught, naming the team and the pool.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Lab } from "../../components/lab";
import { loadLabModel } from "../../config/load";
import type { LabModel } from "../../config/model";
import { labPolicies } from "../../policies/rules";
import { noPoolOvercommit } from "../../policies/rules/no-pool-overcommit";
import { teamBundlesGuarded } from "../../policies/rules/team-bundles-guarded";
import { teamNamespaceGuarded } from "../../policies/rules/team-namespace-guarded";
import { teamNamespaceQuota } from "../../policies/rules/team-namespace-quota";
import { teamRolesExplicit } from "../../policies/rules/team-roles-explicit";
import { evaluatePolicies } from "../../tools/plan/policy-runner";
import { settle } from "../../tools/plan/recorder";
import { loadStackConfig, withChanges } from "../harness/fixtures";
import { record } from "../harness/policy";
import { TEST_SSH_KEY, currentRecorder, runLab, useRecorder } from "../harness/pulumi";

useRecorder({ preview: true });

const example = loadStackConfig();

const namespace = (team: string, pools?: string) =>
  record("kubernetes:core/v1:Namespace", team, {
    metadata: { name: team, labels: { "lab.vac.dev/team": team }, annotations: pools === undefined ? {} : { "lab.vac.dev/pools": pools } },
  });
const quota = (ns: string, hard: Record<string, string>, name = `${ns}-quota`) =>
  record("kubernetes:core/v1:ResourceQuota", name, { metadata: { name: "team-quota", namespace: ns }, spec: { hard } });
/** The disk and Service caps every team quota needs besides compute. */
const DISK_AND_SERVICES = {
  "requests.ephemeral-storage": "100Gi", "limits.ephemeral-storage": "100Gi", "requests.storage": "100Gi",
  persistentvolumeclaims: "20", "services.loadbalancers": "0", "services.nodeports": "0",
  "count/configmaps": "500", "count/secrets": "500", "count/services": "100",
};
const fullQuota = (ns: string, cpu: string, memory = "10Gi", pods = "100", name?: string) =>
  quota(ns, { "requests.cpu": cpu, "limits.cpu": cpu, "requests.memory": memory, "limits.memory": memory, pods, ...DISK_AND_SERVICES }, name);
const CONTAINER_DEFAULTS = { cpu: "250m", memory: "100Mi", "ephemeral-storage": "1Gi" };
const limitRange = (ns: string, limits: unknown[] = [{ type: "Container", default: CONTAINER_DEFAULTS, defaultRequest: CONTAINER_DEFAULTS }]) =>
  record("kubernetes:core/v1:LimitRange", `${ns}-limits`, { metadata: { name: "team-defaults", namespace: ns }, spec: { limits } });
const node = (name: string, pool: string, cpu = "10", memory = "40Gi", pods = "100") =>
  record("kubernetes:core/v1:NodePatch", name, {
    metadata: {
      name,
      labels: { "lab.vac.dev/pool": pool },
      annotations: { "lab.vac.dev/allocatable-cpu": cpu, "lab.vac.dev/allocatable-memory": memory, "lab.vac.dev/allocatable-pods": pods },
    },
  });

describe("team-namespace-quota", () => {
  it("passes a team namespace with one complete quota and a limit range with container defaults", async () => {
    const records = [namespace("a", "p"), fullQuota("a", "4"), limitRange("a"), record("kubernetes:core/v1:Namespace", "plain", { metadata: { name: "plain" } })];
    expect(await evaluatePolicies([teamNamespaceQuota], records)).toEqual([]);
  });

  it("fails no quota, two quotas, a quota without pods or memory limits, and a limit range without defaults", async () => {
    const records = [
      namespace("a"), limitRange("a"),
      namespace("b"), fullQuota("b", "4"), fullQuota("b", "2", "1Gi", "10", "b-extra"), limitRange("b"),
      namespace("c"), quota("c", { cpu: "4", "limits.cpu": "4", "requests.memory": "1Gi", ...DISK_AND_SERVICES }), limitRange("c", [{ type: "Container", max: { cpu: "2" } }]),
    ];
    const messages = (await evaluatePolicies([teamNamespaceQuota], records)).map((v) => `${v.name}: ${v.message}`);
    expect(messages).toEqual([
      'a: team "a": namespace a has 0 ResourceQuotas; it needs exactly one',
      'b: team "b": namespace b has 2 ResourceQuotas; it needs exactly one',
      'c-quota: team "c": ResourceQuota in c does not cap limits.memory, pods',
      'c-limits: team "c": namespace c has no LimitRange with default cpu, memory and ephemeral-storage requests and limits for containers',
    ]);
  });

  it("fails a quota that leaves the disk or LoadBalancer/NodePort Services uncapped, and a limit range without ephemeral-storage defaults", async () => {
    const computeOnly = { "requests.cpu": "4", "limits.cpu": "4", "requests.memory": "1Gi", "limits.memory": "1Gi", pods: "10" };
    const noDisk = [{ type: "Container", default: { cpu: "250m", memory: "100Mi" }, defaultRequest: { cpu: "250m", memory: "100Mi" } }];
    const records = [namespace("d"), quota("d", computeOnly), limitRange("d", noDisk)];
    expect((await evaluatePolicies([teamNamespaceQuota], records)).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'd-quota: team "d": ResourceQuota in d does not cap requests.ephemeral-storage, limits.ephemeral-storage, requests.storage, persistentvolumeclaims, services.loadbalancers, services.nodeports, count/configmaps, count/secrets, count/services',
      'd-limits: team "d": namespace d has no LimitRange with default cpu, memory and ephemeral-storage requests and limits for containers',
    ]);
  });
});

const guard = (name: string, resourceRule: Record<string, unknown>, extra: Record<string, unknown> = {}, failurePolicy = "Fail") =>
  record("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy", name, {
    metadata: { name },
    spec: { failurePolicy, matchConstraints: { resourceRules: [resourceRule], ...extra }, validations: [{ expression: "true" }] },
  });
const bind = (name: string, actions = ["Deny"]) =>
  record("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding", `${name}-b`, { metadata: { name }, spec: { policyName: name, validationActions: actions } });
const nsRule = (ns: string) => ({ apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces"], operations: ["UPDATE", "DELETE"], resourceNames: [ns] });
const podRule = { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE", "UPDATE"] };
const byName = (ns: string) => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [ns] }] } });

describe("team-namespace-guarded", () => {
  it("passes a team namespace with fail-closed, Deny-bound policies on its metadata and its pods, selected by name", async () => {
    const records = [namespace("a", "p"), guard("ns-a", nsRule("a")), bind("ns-a"), guard("pods-a", podRule, byName("a")), bind("pods-a")];
    expect(await evaluatePolicies([teamNamespaceGuarded], records)).toEqual([]);
  });

  it("fails a missing guard, a guard selected by an erasable label, a Warn-only binding and failurePolicy Ignore", async () => {
    const byLabel = { namespaceSelector: { matchLabels: { "lab.vac.dev/team": "b" } } };
    const records = [
      namespace("a"),
      namespace("b"), guard("ns-b", nsRule("b")), bind("ns-b", ["Warn"]), guard("pods-b", podRule, byLabel), bind("pods-b"),
      namespace("c"), guard("ns-c", nsRule("c"), {}, "Ignore"), bind("ns-c"), guard("pods-c", podRule, byName("c")), bind("pods-c"),
    ];
    expect((await evaluatePolicies([teamNamespaceGuarded], records)).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'a: team "a": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards its namespace metadata in a (selected by name)',
      'a: team "a": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards its pods in a (selected by name)',
      'b: team "b": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards its namespace metadata in b (selected by name)',
      'b: team "b": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards its pods in b (selected by name)',
      'c: team "c": no fail-closed ValidatingAdmissionPolicy with a Deny binding guards its namespace metadata in c (selected by name)',
    ]);
  });
});

const roleBinding = (ns: string, name: string, kind: string, role: string) =>
  record("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", `${ns}-${name}`, {
    metadata: { name, namespace: ns }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name: role }, subjects: [{ kind: "Group", name: "g" }],
  });
const clusterRole = (name: string, props: Record<string, unknown>) => record("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", name, { metadata: { name }, ...props });

const gitRepo = (ns: string, serviceAccount?: string, name = `${ns.replace(/^fleet-team-/, "")}-app`) =>
  record("kubernetes:fleet.cattle.io/v1alpha1:GitRepo", `${ns}-app`, { metadata: { name, namespace: ns }, spec: { repo: "https://example.org/app.git", ...(serviceAccount ? { serviceAccount } : {}) } });
const bundleRule = { apiGroups: ["fleet.cattle.io"], apiVersions: ["v1alpha1"], resources: ["bundles"], operations: ["CREATE", "UPDATE"] };
const deploymentRule = { apiGroups: ["fleet.cattle.io"], apiVersions: ["v1alpha1"], resources: ["bundledeployments"], operations: ["UPDATE"] };
/** The cluster-wide BundleDeployment owner policy, enforced. */
const ownerKept = () => [guard("bd-owner", deploymentRule), bind("bd-owner")];

describe("team-bundles-guarded", () => {
  it("passes a team GitRepo whose workspace has a fail-closed, Deny-bound policy on Bundles selected by name, and ignores the platform repo", async () => {
    const records = [gitRepo("fleet-team-a", "team-a"), guard("bundles-a", bundleRule, byName("fleet-team-a")), bind("bundles-a"), gitRepo("fleet-local", undefined, "lab-platform"), ...ownerKept()];
    expect(await evaluatePolicies([teamBundlesGuarded], records)).toEqual([]);
  });

  it("fails a team GitRepo not named after its team (its bundles would carry a name the team does not own)", async () => {
    const records = [gitRepo("fleet-team-a", "team-a", "app"), guard("bundles-a", bundleRule, byName("fleet-team-a")), bind("bundles-a"), ...ownerKept()];
    expect((await evaluatePolicies([teamBundlesGuarded], records)).map((v) => v.message)).toEqual([
      'GitRepo fleet-team-a/app: a team GitRepo\'s name starts with "a-" (Fleet names its bundles, and their deployments, after it)',
    ]);
  });

  it("fails team GitRepos without an enforced, cluster-wide policy keeping BundleDeployments with their bundle", async () => {
    const team = [gitRepo("fleet-team-a", "team-a"), guard("bundles-a", bundleRule, byName("fleet-team-a")), bind("bundles-a")];
    const message = "no fail-closed ValidatingAdmissionPolicy with a Deny binding guards UPDATE of Fleet bundledeployments in every namespace (a bundle of the same name would take over another's deployment)";
    expect((await evaluatePolicies([teamBundlesGuarded], team)).map((v) => v.message)).toEqual([message]);
    const warnOnly = [guard("bd-owner", deploymentRule), bind("bd-owner", ["Warn"])];
    const oneNamespace = [guard("bd-owner", deploymentRule, byName("cluster-fleet-local-local-1a3d67d0a899")), bind("bd-owner")];
    for (const weak of [warnOnly, oneNamespace]) expect((await evaluatePolicies([teamBundlesGuarded], [...team, ...weak])).map((v) => v.message)).toEqual([message]);
    // The platform repo alone needs none.
    expect(await evaluatePolicies([teamBundlesGuarded], [gitRepo("fleet-local", undefined, "lab-platform")])).toEqual([]);
  });

  it("fails a missing guard, one on another namespace, a Warn-only binding, failurePolicy Ignore and one that misses UPDATE", async () => {
    const records = [
      gitRepo("fleet-team-a", "team-a"),
      gitRepo("fleet-team-b", "team-b"), guard("bundles-x", bundleRule, byName("fleet-team-x")), bind("bundles-x"),
      gitRepo("fleet-team-c", "team-c"), guard("bundles-c", bundleRule, byName("fleet-team-c")), bind("bundles-c", ["Warn"]),
      gitRepo("fleet-team-d", "team-d"), guard("bundles-d", bundleRule, byName("fleet-team-d"), "Ignore"), bind("bundles-d"),
      gitRepo("fleet-team-e", "team-e"), guard("bundles-e", { ...bundleRule, operations: ["CREATE"] }, byName("fleet-team-e")), bind("bundles-e"),
      ...ownerKept(),
    ];
    expect((await evaluatePolicies([teamBundlesGuarded], records)).map((v) => v.name)).toEqual(["fleet-team-a-app", "fleet-team-b-app", "fleet-team-c-app", "fleet-team-d-app", "fleet-team-e-app"]);
    expect((await evaluatePolicies([teamBundlesGuarded], records.slice(0, 1)))[0].message).toBe(
      "GitRepo fleet-team-a/a-app (service account team-a): no fail-closed ValidatingAdmissionPolicy with a Deny binding guards the Bundles of fleet-team-a (selected by name)",
    );
  });
});

describe("team-roles-explicit", () => {
  it("passes bindings to stack-defined roles with explicit rules", async () => {
    const records = [namespace("a"), clusterRole("member", { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] }), roleBinding("a", "m", "ClusterRole", "member")];
    expect(await evaluatePolicies([teamRolesExplicit], records)).toEqual([]);
  });

  it("fails built-in aggregated roles, unknown roles, aggregating roles and wildcards", async () => {
    const records = [
      namespace("a"),
      clusterRole("grows", { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: "y" } }] } }),
      clusterRole("star", { rules: [{ apiGroups: ["operator.victoriametrics.com"], resources: ["*"], verbs: ["get"] }] }),
      roleBinding("a", "e", "ClusterRole", "edit"),
      roleBinding("a", "u", "ClusterRole", "somewhere-else"),
      roleBinding("a", "g", "ClusterRole", "grows"),
      roleBinding("a", "s", "ClusterRole", "star"),
      roleBinding("other", "e", "ClusterRole", "admin"),
    ];
    expect((await evaluatePolicies([teamRolesExplicit], records)).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'a-e: team "a": RoleBinding a/e binds the built-in ClusterRole edit, which aggregates or grants everything',
      'a-u: team "a": RoleBinding a/u binds ClusterRole somewhere-else, which the stack does not define',
      'a-g: team "a": RoleBinding a/g binds ClusterRole grows, which has an aggregationRule',
      'a-s: team "a": RoleBinding a/s binds ClusterRole star, which grants "*"',
    ]);
  });
});

describe("no-pool-overcommit (hand-made records)", () => {
  const lab = (...extra: ReturnType<typeof record>[]) => [node("n1", "p"), node("n2", "p"), node("n3", "q"), ...extra];

  it("passes quotas that fit, alone and together", async () => {
    const records = lab(namespace("a", "p"), fullQuota("a", "12"), namespace("b", "p,q"), fullQuota("b", "18"));
    expect(await evaluatePolicies([noPoolOvercommit], records)).toEqual([]);
  });

  it("names the team and its pool when one team's quota exceeds its pool (larger of requests and limits)", async () => {
    const records = lab(namespace("a", "p"), quota("a", { "requests.cpu": "4", "limits.cpu": "25", "requests.memory": "1Gi", "limits.memory": "1Gi", pods: "10" }));
    expect(await evaluatePolicies([noPoolOvercommit], records)).toMatchObject([
      { policy: "no-pool-overcommit", name: "a-quota", message: 'team "a" is promised 25 cores by its ResourceQuota, more than the 20 cores allocatable on its pool "p"' },
    ]);
  });

  it("names every team and every pool of a joint overcommit (each team fits alone)", async () => {
    const records = lab(namespace("a", "p"), fullQuota("a", "16"), namespace("b", "p,q"), fullQuota("b", "16"));
    expect((await evaluatePolicies([noPoolOvercommit], records)).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'a-quota: team "a": overcommit of pools "p", "q": teams "a", "b" are promised 32 cores together, more than the 30 cores allocatable',
      'b-quota: team "b": overcommit of pools "p", "q": teams "a", "b" are promised 32 cores together, more than the 30 cores allocatable',
    ]);
  });

  it("compares memory in GiB whatever the quantity's unit", async () => {
    expect(await evaluatePolicies([noPoolOvercommit], lab(namespace("a", "q"), fullQuota("a", "1", "40960Mi")))).toEqual([]);
    const records = lab(namespace("a", "q"), fullQuota("a", "1", "40961Mi"));
    expect((await evaluatePolicies([noPoolOvercommit], records)).map((v) => v.message)).toEqual([
      'team "a" is promised 40.001 GiB by its ResourceQuota, more than the 40 GiB allocatable on its pool "q"',
    ]);
  });

  it("counts a pool without nodes as empty, and reports what it cannot read", async () => {
    const broken = record("kubernetes:core/v1:NodePatch", "n4", { metadata: { name: "n4", labels: { "lab.vac.dev/pool": "q" }, annotations: {} } });
    const records = lab(broken, namespace("a", "ghost"), fullQuota("a", "1"), namespace("b"), fullQuota("b", "1"));
    expect((await evaluatePolicies([noPoolOvercommit], records)).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'n4: node n4 (pool "q") has no readable allocatable-cpu/-memory/-pods annotations; its pool\'s capacity is unknown',
      'b: team "b": namespace b does not record its pools (<labelDomain>/pools annotation)',
      'a-quota: team "a" is promised 1 cores by its ResourceQuota, more than the 0 cores allocatable on its pool "ghost"',
      'a-quota: team "a" is promised 10 GiB by its ResourceQuota, more than the 0 GiB allocatable on its pool "ghost"',
      'a-quota: team "a" is promised 100 pods by its ResourceQuota, more than the 0 pods allocatable on its pool "ghost"',
    ]);
  });
});

/** Runs the real Lab component on a model that skipped validation, as if the config check were bypassed. */
async function runTampered(change: (model: LabModel) => LabModel) {
  currentRecorder().reset();
  const model = change(loadLabModel(example, "lab"));
  new Lab(model.cluster.name, { model, secrets: { sshPrivateKey: pulumi.secret(TEST_SSH_KEY), sshKeyIsPlaceholder: false } });
  await settle();
  return evaluatePolicies(labPolicies, currentRecorder().records);
}

function withTeamCpu(model: LabModel, cpu: Record<string, number>): LabModel {
  return { ...model, teams: model.teams.map((t) => (t.name in cpu ? { ...t, quota: { ...t.quota, cpu: cpu[t.name] } } : t)) };
}

describe("the pack over the real program", () => {
  it("finds no violation in the example lab, nor in one under another label domain", async () => {
    expect(await evaluatePolicies(labPolicies, (await runLab(example)).records)).toEqual([]);
    const other = withChanges(example, (c) => (c["lab:cluster"].labelDomain = "dst.example.org"));
    expect(await evaluatePolicies(labPolicies, (await runLab(other)).records)).toEqual([]);
  });

  it("catches a tampered quota that exceeds the team's pool, naming the team and the pool", async () => {
    const violations = await runTampered((m) => withTeamCpu(m, { dst: 300 }));
    expect(violations).toEqual([{
      policy: "no-pool-overcommit",
      enforcementLevel: "mandatory",
      type: "kubernetes:core/v1:ResourceQuota",
      name: "dst-quota",
      urn: expect.stringContaining("dst-quota"),
      message: 'team "dst" is promised 300 cores by its ResourceQuota, more than the 248 cores allocatable on its pool "experiments"',
    }]);
  });

  it("catches tampered quotas that fit alone but overcommit the shared pool together", async () => {
    const violations = await runTampered((m) => withTeamCpu(m, { nomos: 200 }));
    expect(violations.map((v) => `${v.policy}: ${v.name}: ${v.message}`)).toEqual([
      'no-pool-overcommit: dst-quota: team "dst": overcommit of pools "experiments", "nomos": teams "dst", "nomos" are promised 360 cores together, more than the 310 cores allocatable',
      'no-pool-overcommit: nomos-quota: team "nomos": overcommit of pools "experiments", "nomos": teams "dst", "nomos" are promised 360 cores together, more than the 310 cores allocatable',
    ]);
  });

  it("catches capacity that shrank under the quotas (a node moved away without the config check)", async () => {
    const violations = await runTampered((m) => ({
      ...m,
      nodes: m.nodes.map((n) => (n.name === "node-05" ? { ...n, pool: "monitoring", labels: { [m.cluster.poolLabel]: "monitoring" }, taints: [] } : n)),
    }));
    // experiments keeps 3 nodes (186 cores); with nomos's own 62 that is 248 for the 280 promised.
    expect(violations.filter((v) => v.message.includes("cores")).map((v) => `${v.name}: ${v.message}`)).toEqual([
      'dst-quota: team "dst": overcommit of pools "experiments", "nomos": teams "dst", "nomos" are promised 280 cores together, more than the 248 cores allocatable',
      'nomos-quota: team "nomos": overcommit of pools "experiments", "nomos": teams "dst", "nomos" are promised 280 cores together, more than the 248 cores allocatable',
    ]);
    expect(violations.every((v) => v.policy === "no-pool-overcommit")).toBe(true);
  });
});

/**
 * Way through 2: teams were bound to the aggregated `edit` / `admin`, which the VM operator chart
 * grows with `*` on every VictoriaMetrics CRD; a team VMAgent without serviceAccountName then gets a
 * cluster-wide secrets reader from the operator, and team VMRules / scrape objects were picked up by
 * the platform's vmalert and vmagent (selectAllByDefault). Attacker's side: what can the team's
 * bindings reach, and is a team VM object admitted or selected anywhere?
 */
import * as yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { plainInputs, runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, TYPES, namespacedWrite } from "./harness/cluster";
import type { UserInfo } from "./harness/admission";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

/**
 * Built-in ClusterRoles that carry an aggregationRule (Kubernetes 1.32
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go: admin, edit, view; and
 * cluster-admin is `*`). None may be bound for a team.
 */
const BUILT_IN_AGGREGATED_OR_WILDCARD = ["admin", "edit", "view", "cluster-admin"];

/** What a team member and a team's Fleet deployer may do, as `group/resource verb`, written out by hand. */
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const READ = ["get", "list", "watch"];
const triples = (group: string, resources: string[], verbs: string[]) => resources.flatMap((r) => verbs.map((v) => `${group}/${r} ${v}`));
const MEMBER_ALLOWED = [
  ...triples("", ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "serviceaccounts"], WRITE),
  ...triples("", ["pods/log", "pods/status", "services/status", "endpoints", "events", "resourcequotas", "limitranges"], READ),
  ...triples("", ["pods/exec", "pods/attach", "pods/portforward"], ["get", "create"]),
  ...triples("apps", ["deployments", "statefulsets", "daemonsets", "replicasets"], WRITE),
  ...triples("apps", ["deployments/scale", "statefulsets/scale", "replicasets/scale"], ["get", "update", "patch"]),
  ...triples("batch", ["jobs", "cronjobs"], WRITE),
  ...triples("autoscaling", ["horizontalpodautoscalers"], WRITE),
  ...triples("policy", ["poddisruptionbudgets"], WRITE),
  ...triples("networking.k8s.io", ["networkpolicies", "ingresses"], WRITE),
  ...triples("discovery.k8s.io", ["endpointslices"], READ),
  ...triples("coordination.k8s.io", ["leases"], WRITE),
  ...triples("events.k8s.io", ["events"], READ),
].sort();
const DEPLOYER_ALLOWED = [...MEMBER_ALLOWED, ...triples("rbac.authorization.k8s.io", ["roles", "rolebindings"], WRITE)].sort();

interface Reach {
  readonly bindings: string[];
  readonly rules: string[];
  readonly unresolved: string[];
}

/** Every rule reachable by a subject through the stack's RoleBindings and ClusterRoleBindings. */
function reachable(subject: { kind: "Group" | "ServiceAccount"; name: string; namespace?: string }): Reach {
  const matches = (s: any) => s.kind === subject.kind && s.name === subject.name && (subject.kind !== "ServiceAccount" || s.namespace === subject.namespace);
  const bindings = [...cluster.inputs(TYPES.roleBinding), ...cluster.inputs(TYPES.clusterRoleBinding)].filter((b) => (b.subjects ?? []).some(matches));
  const roles = [...cluster.inputs(TYPES.clusterRole), ...cluster.inputs(TYPES.role)];
  const rules = new Set<string>();
  const unresolved: string[] = [];
  for (const b of bindings) {
    const role = roles.find((r) => r.metadata.name === b.roleRef.name && (b.roleRef.kind === "ClusterRole" || r.metadata.namespace === b.metadata.namespace));
    if (!role || role.aggregationRule) {
      unresolved.push(`${b.metadata.namespace ?? ""}/${b.metadata.name} -> ${b.roleRef.kind} ${b.roleRef.name}`);
      continue;
    }
    for (const rule of role.rules ?? []) {
      for (const g of rule.apiGroups ?? []) for (const r of rule.resources ?? []) for (const v of rule.verbs ?? []) rules.add(`${g}/${r} ${v}`);
    }
  }
  return { bindings: bindings.map((b) => `${b.kind ?? "RoleBinding"} ${b.metadata.namespace ?? ""}/${b.metadata.name}`), rules: [...rules].sort(), unresolved };
}

const vmAgent = (name: string) => ({
  apiVersion: "operator.victoriametrics.com/v1beta1",
  kind: "VMAgent",
  metadata: { name },
  spec: { containers: [{ name: "dump", image: "bitnami/kubectl:1.32.4", command: ["kubectl", "get", "secrets", "-A", "-o", "yaml"] }] },
});

describe("way 2: aggregated roles and the monitoring operator", () => {
  it("a team's groups reach exactly the member allow-list, only in their namespace", () => {
    for (const [team, group] of [["dst", "vac-dst"], ["nomos", "nomos-devs"]]) {
      const reach = reachable({ kind: "Group", name: group });
      expect(reach.unresolved, team).toEqual([]);
      expect(reach.bindings, team).toEqual([`RoleBinding ${team}/team-member`]);
      expect(reach.rules, team).toEqual(MEMBER_ALLOWED);
    }
  });

  it("a team's Fleet service account reaches exactly the deployer allow-list, only in its namespace", () => {
    const reach = reachable({ kind: "ServiceAccount", name: "team-dst", namespace: "cattle-fleet-system" });
    expect(reach.unresolved).toEqual([]);
    // Cluster-wide only Helm's CreateNamespace, which lab-team-dst-deployer-namespaces limits to "dst"
    // (fleet-namespace-rewrite.test.ts).
    expect(reach.bindings.sort()).toEqual(["ClusterRoleBinding /fleet-team-dst-namespace-create", "RoleBinding dst/fleet-team-dst"]);
    expect(reach.rules).toEqual([...DEPLOYER_ALLOWED, "/namespaces create"].sort());
    expect(reach.rules.some((r) => r.startsWith("operator.victoriametrics.com/") || r.includes("*"))).toBe(false);
  });

  it("no binding in a team namespace names an aggregated or wildcard ClusterRole, and no stack ClusterRole aggregates", () => {
    const teamBindings = cluster.inputs(TYPES.roleBinding).filter((b) => ["dst", "nomos"].includes(b.metadata.namespace));
    expect(teamBindings.length).toBeGreaterThanOrEqual(4);
    const stackRoles = new Map(cluster.inputs(TYPES.clusterRole).map((r) => [r.metadata.name, r]));
    for (const b of teamBindings) {
      expect(BUILT_IN_AGGREGATED_OR_WILDCARD, b.metadata.name).not.toContain(b.roleRef.name);
      const role = stackRoles.get(b.roleRef.name);
      expect(role, `${b.metadata.name} -> ${b.roleRef.name} must be a role the stack defines`).toBeDefined();
      expect(role.aggregationRule, b.roleRef.name).toBeUndefined();
    }
    for (const role of stackRoles.values()) {
      expect(role.aggregationRule, role.metadata.name).toBeUndefined();
      expect(Object.keys(role.metadata.labels ?? {}).filter((k) => k.startsWith("rbac.authorization.k8s.io/aggregate-to")), role.metadata.name).toEqual([]);
    }
  });

  it("turns the VM operator chart's aggregated roles and prometheus converter off, and selects only the monitoring namespace's objects", () => {
    const values: any = yaml.load(plainInputs(cluster.run.get(TYPES.helmChart, "vmks")).spec.valuesContent);
    // victoria-metrics-operator 0.57.1 values.yaml L185-186 (enabled: true) and L219 (converter on).
    expect(values["victoria-metrics-operator"].rbac).toEqual({ aggregatedClusterRoles: { enabled: false } });
    expect(values["victoria-metrics-operator"].operator.disable_prometheus_converter).toBe(true);
    expect(values["victoria-metrics-operator"].watchNamespaces).toBeUndefined();
    const monitoringOnly = { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } };
    // victoria-metrics-k8s-stack 0.67.0 values.yaml L621/L819/L950: selectAllByDefault true.
    for (const [component, kinds] of [
      ["vmagent", ["serviceScrape", "podScrape", "probe", "nodeScrape", "staticScrape", "scrapeConfig"]],
      ["vmalert", ["rule"]],
      ["alertmanager", ["config"]],
    ] as const) {
      const spec = values[component].spec;
      expect(spec.selectAllByDefault, component).toBe(false);
      // The platform vmagent leaves each team's experiment scrape to the team's own vmagent (series budgets, security.md row 20.4).
      const selector = component === "vmagent" ? { matchExpressions: [{ key: "lab.vac.dev/scrape-team", operator: "DoesNotExist" }] } : {};
      for (const kind of kinds) {
        expect(spec[`${kind}Selector`], `${component}.${kind}Selector`).toEqual(selector);
        expect(spec[`${kind}NamespaceSelector`], `${component}.${kind}NamespaceSelector`).toEqual(monitoringOnly);
      }
    }
  });

  it("denies a team VMAgent (or a VMRule forging lab:comparable) in the team namespace, whoever creates it; admits the stack's in monitoring", () => {
    const ns = cluster.namespace("dst");
    const vm = (resource: string) => ({ group: "operator.victoriametrics.com", version: "v1beta1", resource });
    const rule = { apiVersion: "operator.victoriametrics.com/v1beta1", kind: "VMRule", metadata: { name: "forge" }, spec: { groups: [{ name: "f", rules: [{ record: "lab:comparable", expr: 'vector(0) + on() group_left() label_replace(vector(1), "pool", "other", "", "")' }] }] } };
    const senders: UserInfo[] = [IDENTITY.teamDeployer("dst"), IDENTITY.fleetAgent, IDENTITY.vmOperator];
    for (const user of senders) {
      expect(cluster.admit(namespacedWrite(user, vm("vmagents"), ns, vmAgent("steal"))).allowed, user.username).toBe(false);
      expect(cluster.admit(namespacedWrite(user, vm("vmrules"), ns, rule)).allowed, user.username).toBe(false);
    }
    const converted = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "forge" }, spec: rule.spec };
    expect(cluster.admit(namespacedWrite(IDENTITY.fleetAgent, { group: "monitoring.coreos.com", version: "v1", resource: "prometheusrules" }, ns, converted)).allowed).toBe(false);
    const monitoring = cluster.namespace("monitoring");
    expect(cluster.admit(namespacedWrite(IDENTITY.stack, vm("vmrules"), monitoring, rule)).allowed).toBe(true);
    expect(cluster.admit(namespacedWrite(IDENTITY.vmOperator, vm("vmagents"), monitoring, vmAgent("vmks"))).allowed).toBe(true);
  });
});

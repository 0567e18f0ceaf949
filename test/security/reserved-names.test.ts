/**
 * Way through 5: a team named after a platform namespace got its roles there, and a team whose
 * `groups` named a Kubernetes system group handed its rights to every user or service account.
 * The config check must refuse both with the config path, before any resource is registered.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();
const problemsOf = (raw: Record<string, unknown>) => validateConfig(raw, "lab").problems.map(formatProblem);

/** The example's second team renamed to `name` (it has repos, so its Fleet names are derived too). */
const renamed = (name: string) =>
  withChanges(example, (c) => {
    const old = c["lab:teams"][1].name;
    c["lab:teams"][1].name = name;
    for (const lease of c["lab:leases"] ?? []) if (lease.team === old) lease.team = name; // the example lends it a node
  });

describe("way 5: reserved names", () => {
  it("refuses every platform namespace as a team name, naming the config path", () => {
    const platform = ["vaclab-system", "monitoring", "kube-system", "kube-public", "cattle-fleet-system", "fleet-local", "fleet-default", "default"];
    for (const name of platform) {
      expect(problemsOf(renamed(name)), name).toContain(`lab:teams[1].name: "${name}" is a platform namespace; choose another team name`);
    }
  });

  it("refuses names under the platform prefixes, including another team's Fleet workspace", () => {
    expect(problemsOf(renamed("fleet-team-dst"))).toContain('lab:teams[1].name: "fleet-team-dst" starts with "fleet-", reserved for platform namespaces; choose another team name');
    expect(problemsOf(renamed("kube-ovn"))).toContain('lab:teams[1].name: "kube-ovn" starts with "kube-", reserved for platform namespaces; choose another team name');
    expect(problemsOf(renamed("cattle-x"))).toContain('lab:teams[1].name: "cattle-x" starts with "cattle-", reserved for platform namespaces; choose another team name');
  });

  it("refuses the configured monitoring namespace even when it is not the default", () => {
    const raw = withChanges(example, (c) => {
      c["lab:network"].monitoringNamespace = "observability";
      c["lab:teams"][1].name = "observability";
    });
    expect(problemsOf(raw)).toContain('lab:teams[1].name: "observability" is the monitoring namespace (lab:network.monitoringNamespace)');
  });

  it("refuses Kubernetes system groups in a team's groups, naming each", () => {
    const raw = withChanges(example, (c) => (c["lab:teams"][0].groups = ["vac-dst", "system:authenticated", "system:serviceaccounts", "system:masters"]));
    const problems = problemsOf(raw);
    expect(problems).toEqual(expect.arrayContaining([
      'lab:teams[0].groups[1]: "system:authenticated" is a Kubernetes system group; name the team\'s own identity-provider group',
      'lab:teams[0].groups[2]: "system:serviceaccounts" is a Kubernetes system group; name the team\'s own identity-provider group',
      'lab:teams[0].groups[3]: "system:masters" is a Kubernetes system group; name the team\'s own identity-provider group',
    ]));
    expect(problems.filter((p) => p.includes("groups[0]"))).toEqual([]);
  });

  it("still accepts the example's teams and ordinary names", () => {
    expect(problemsOf(example)).toEqual([]);
    expect(problemsOf(renamed("waku"))).toEqual([]);
  });
});

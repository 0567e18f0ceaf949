/**
 * Issue 20, way 14 (config part): a careless or hostile operator config. A Secret key `..` (or `.`)
 * becomes a file path to the mount's parent directory where the Secret is mounted
 * (`credentials_file: /etc/vm/secrets/alert-receivers/..`); Kubernetes refuses such keys
 * (apimachinery IsConfigMapKey). Fleet 0.14.3 reads `helm.valuesFrom` Secrets with the agent's
 * cluster-wide client (GHSA-765j-qfrp-hm3j, fixed in 0.14.5): the version config keeps a floor.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();
const problemsOf = (change: (c: any) => void) => validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);

describe("way 14: Secret keys that name directories", () => {
  it("refuses '.', '..' and keys starting with '..' in every secret reference, at its path", () => {
    for (const key of [".", "..", "..data", "../token"]) {
      const problems = problemsOf((c) => (c["lab:monitoring"].alerting.receivers[0].webhook.bearerTokenSecret.key = key));
      expect(problems, key).toHaveLength(1);
      expect(problems[0], key).toMatch(/^lab:monitoring\.alerting\.receivers\[0\]\.webhook\.bearerTokenSecret\.key: must be a Secret key/);
    }
    expect(problemsOf((c) => (c["lab:monitoring"].alerting.receivers[1].slack.apiUrlSecret.key = "..")).join("\n")).toMatch(/receivers\[1\]\.slack\.apiUrlSecret\.key/);
    expect(problemsOf((c) => (c["lab:monitoring"].alerting.receivers[0].webhook.bearerTokenSecret.key = "a".repeat(254)))).toHaveLength(1);
  });

  it("accepts keys with dots that Kubernetes accepts", () => {
    for (const key of ["token", ".token", "a..b", "tls.crt", "a".repeat(253)]) {
      expect(problemsOf((c) => (c["lab:monitoring"].alerting.receivers[0].webhook.bearerTokenSecret.key = key)), key).toEqual([]);
    }
  });
});

describe("way 14: a floor on the Fleet version", () => {
  it("refuses Fleet releases with GHSA-765j-qfrp-hm3j (before 0.14.5), naming lab:versions.fleet", () => {
    for (const fleet of ["0.14.3", "0.14.4", "0.13.9", "0.14.5-rc.1", "v0.9.20"]) {
      const problems = problemsOf((c) => (c["lab:versions"] = { fleet }));
      expect(problems, fleet).toEqual([expect.stringMatching(/^lab:versions\.fleet: must be Fleet 0\.14\.5 or newer/)]);
    }
  });

  it("refuses release numbers with leading zeros, which no registry publishes (0.14.05 passed the floor and went into the chart version)", () => {
    for (const fleet of ["0.14.05", "00.14.5", "0.014.5", "v1.02.0"]) {
      expect(problemsOf((c) => (c["lab:versions"] = { fleet })), fleet).toEqual(["lab:versions.fleet: must be an exact version such as 1.15.4 (no ranges, no latest)"]);
    }
  });

  it("accepts 0.14.5 and newer releases", () => {
    for (const fleet of ["0.14.5", "0.14.6", "v0.14.10", "0.15.0", "1.0.0"]) expect(problemsOf((c) => (c["lab:versions"] = { fleet })), fleet).toEqual([]);
  });
});

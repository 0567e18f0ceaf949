import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { rewriteKubeconfig } from "../../components/bootstrap/kubeconfig";
import { K3S_KUBECONFIG } from "./fixtures";

describe("the kubeconfig fetched from the first server", () => {
  it("points at the API endpoint and is named after the cluster; credentials stay as they were", () => {
    const out = yaml.load(rewriteKubeconfig(K3S_KUBECONFIG, "192.0.2.11", "vaclab")) as any;
    expect(out.clusters).toEqual([{ name: "vaclab", cluster: { "certificate-authority-data": "LS0tLS1CRUdJTi1DQQ==", server: "https://192.0.2.11:6443" } }]);
    expect(out.contexts).toEqual([{ name: "vaclab", context: { cluster: "vaclab", user: "vaclab" } }]);
    expect(out["current-context"]).toBe("vaclab");
    expect(out.users).toEqual([{ name: "vaclab", user: { "client-certificate-data": "LS0tLS1DRVJULQ==", "client-key-data": "LS0tLS1LRVktLQ==" } }]);
    expect(out.kind).toBe("Config");
  });

  it("accepts a DNS name as the endpoint", () => {
    const out = yaml.load(rewriteKubeconfig(K3S_KUBECONFIG, "k8s.lab.vac.dev", "vaclab")) as any;
    expect(out.clusters[0].cluster.server).toBe("https://k8s.lab.vac.dev:6443");
  });

  it("refuses anything that is not a one-cluster kubeconfig", () => {
    for (const bad of ["", "sudo: a password is required", "clusters: []", "apiVersion: v1\n"]) {
      expect(() => rewriteKubeconfig(bad, "192.0.2.11", "vaclab"), JSON.stringify(bad)).toThrow(/is not a kubeconfig with exactly one cluster/);
    }
  });
});

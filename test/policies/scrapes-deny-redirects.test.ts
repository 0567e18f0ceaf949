/** scrapes-deny-redirects: a passing and failing object per endpoint shape, and not applicable elsewhere. */
import { describe, expect, it } from "vitest";
import { scrapesDenyRedirects } from "../../policies/rules/scrapes-deny-redirects";
import { checkResource } from "../harness/policy";

const type = (kind: string) => `kubernetes:operator.victoriametrics.com/v1beta1:${kind}`;
const object = (kind: string, spec: Record<string, unknown>) => ({ apiVersion: "operator.victoriametrics.com/v1beta1", kind, metadata: { name: "s", namespace: "monitoring" }, spec });

describe("scrapes-deny-redirects", () => {
  it("passes scrape objects whose every endpoint sets follow_redirects: false", async () => {
    const pod = object("VMPodScrape", { podMetricsEndpoints: [{ port: "metrics", follow_redirects: false }] });
    expect((await checkResource(scrapesDenyRedirects, type("VMPodScrape"), pod)).violations).toEqual([]);
    const node = object("VMNodeScrape", { port: "10250", follow_redirects: false });
    expect((await checkResource(scrapesDenyRedirects, type("VMNodeScrape"), node)).violations).toEqual([]);
  });

  it("reports an endpoint that leaves it unset, sets it true, or spells it camelCase (pruned by the CRD)", async () => {
    const svc = object("VMServiceScrape", { endpoints: [{ port: "a", follow_redirects: false }, { port: "b" }, { port: "c", follow_redirects: true }, { port: "d", followRedirects: false }] });
    expect((await checkResource(scrapesDenyRedirects, type("VMServiceScrape"), svc)).violations).toEqual([
      "VMServiceScrape s: spec.endpoints[1].follow_redirects must be false (is undefined): a target's redirect would be followed",
      "VMServiceScrape s: spec.endpoints[2].follow_redirects must be false (is true): a target's redirect would be followed",
      "VMServiceScrape s: spec.endpoints[3].followRedirects is not a field of VMServiceScrape (the CRD prunes it): set follow_redirects: false",
    ]);
    const node = object("VMNodeScrape", { port: "10250" });
    expect((await checkResource(scrapesDenyRedirects, type("VMNodeScrape"), node)).violations).toHaveLength(1);
  });

  it("is not applicable to other types", async () => {
    expect((await checkResource(scrapesDenyRedirects, "kubernetes:core/v1:ConfigMap", { metadata: { name: "x" } })).notApplicable).toBe(true);
  });
});

/**
 * Every VictoriaMetrics scrape object the stack creates denies HTTP redirects on every endpoint.
 * A scrape target that answers 3xx otherwise makes vmagent request the Location with its own network
 * identity (VictoriaMetrics v1.133.0 lib/promscrape/config.go L915-918: followed unless
 * `follow_redirects: false`), e.g. vmselect's delete API (issue 20 item 1). The field's JSON name is
 * snake_case in every scrape CRD (operator v0.66.1 api/operator/v1beta1/common_scrapeparams.go
 * EndpointScrapeParams; vmscrapeconfig_types.go uses `followRedirects` for its HTTP client config
 * blocks); a camelCase spelling on an endpoint is pruned by the CRD schema and is reported as such.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onlyFor } from "../lib/types";

const API = "kubernetes:operator.victoriametrics.com/v1beta1";

/** Scrape kinds and where their endpoints are (operator v0.66.1 *_types.go). */
export const SCRAPE_ENDPOINTS: Readonly<Record<string, { readonly list?: string; readonly field: string }>> = {
  VMServiceScrape: { list: "endpoints", field: "follow_redirects" },
  VMPodScrape: { list: "podMetricsEndpoints", field: "follow_redirects" },
  VMStaticScrape: { list: "targetEndpoints", field: "follow_redirects" },
  VMNodeScrape: { field: "follow_redirects" },
  VMProbe: { field: "follow_redirects" },
  // VMScrapeConfig spec: EndpointScrapeParams inline (follow_redirects).
  VMScrapeConfig: { field: "follow_redirects" },
};

/** Problems of one scrape object's spec, each naming the endpoint's path. */
export function redirectProblems(kind: string, spec: Record<string, any> | undefined): string[] {
  const shape = SCRAPE_ENDPOINTS[kind];
  if (!shape) return [];
  const endpoints: Array<[string, Record<string, any>]> = shape.list
    ? ((spec?.[shape.list] ?? []) as Array<Record<string, any>>).map((e, i) => [`spec.${shape.list}[${i}]`, e])
    : [["spec", spec ?? {}]];
  return endpoints.flatMap(([where, e]) => {
    if (e[shape.field] === false) return [];
    if ("followRedirects" in e) return [`${where}.followRedirects is not a field of ${kind} (the CRD prunes it): set ${shape.field}: false`];
    return [`${where}.${shape.field} must be false (is ${JSON.stringify(e[shape.field])}): a target's redirect would be followed`];
  });
}

export const scrapesDenyRedirects: ResourceValidationPolicy = {
  name: "scrapes-deny-redirects",
  description: "Every VictoriaMetrics scrape object sets follow_redirects: false on every endpoint.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    onlyFor(args, Object.keys(SCRAPE_ENDPOINTS).map((k) => `${API}:${k}`));
    const kind = args.type.slice(API.length + 1);
    for (const problem of redirectProblems(kind, args.props.spec)) report(`${kind} ${args.props.metadata?.name ?? args.name}: ${problem}`);
  },
};

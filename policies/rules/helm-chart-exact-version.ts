/** Every HelmChart pins an exact chart version, so a `pulumi up` never picks up a new release. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { EXACT_VERSION } from "../../config/schema/primitives";
import { TYPES, onlyFor } from "../lib/types";

export const helmChartExactVersion: ResourceValidationPolicy = {
  name: "helm-chart-exact-version",
  description: "Every helm.cattle.io/v1 HelmChart names an exact chart version (no range, no latest, never absent).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    onlyFor(args, [TYPES.helmChart]);
    const spec = args.props.spec ?? {};
    if (spec.chartContent) return; // the chart archive itself is embedded: nothing to resolve
    const version = spec.version;
    if (version === undefined || version === null || version === "") {
      report(`chart "${spec.chart ?? "?"}" has no version; helm-controller would install the newest release`);
    } else if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
      report(`chart "${spec.chart ?? "?"}" version ${JSON.stringify(version)} is not an exact version such as 1.15.4`);
    }
  },
};

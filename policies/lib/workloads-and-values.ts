/**
 * One walk for the rules that look at what the stack runs: the containers of workload pod templates
 * and the values the stack sets in HelmCharts. Each rule supplies what it checks in either place.
 */
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { HELM_VALUES_TYPES, parseValuesContent, walkValues, type ValueVisit } from "./helm-values";
import { WORKLOAD_TYPES, containersOf, type ContainerAt } from "./pod-specs";
import { onlyFor } from "./types";

export interface WorkloadChecks {
  /** A problem with one container (its location is prefixed), or undefined. */
  readonly container: (container: Record<string, any>) => string | undefined;
  /** A problem with one key/value of HelmChart values (`values <path>` is prefixed), or undefined. */
  readonly value: (visit: ValueVisit) => string | undefined;
}

export function checkWorkloadsAndValues(args: ResourceValidationArgs, report: ReportViolation, checks: WorkloadChecks): void {
  onlyFor(args, [...WORKLOAD_TYPES, ...HELM_VALUES_TYPES]);
  containersOf(args.type, args.props).forEach(({ where, container }: ContainerAt) => {
    const problem = checks.container(container);
    if (problem) report(`${where} ${problem}`);
  });
  if (!(HELM_VALUES_TYPES as readonly string[]).includes(args.type)) return;
  const parsed = parseValuesContent(args.props);
  if (parsed.error !== undefined) return report(parsed.error);
  walkValues(parsed.values, (visit) => {
    const problem = checks.value(visit);
    if (problem) report(`values ${visit.path}${problem.startsWith(".") ? "" : " "}${problem}`);
  });
}

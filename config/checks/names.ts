/**
 * Derived Kubernetes names: every name the stack builds from config values must meet the limit of
 * the field it lands in, and names that must be unique must stay unique after truncation
 * (config/k8s-names.ts has the limits and their sources).
 */
import { calibrationPools } from "../health";
import { calibrationCronJobName, LABEL_NAME_MAX, labelValue, SERVICE_NAME_MAX, teamAccessLabelName, teamVmagentName, vmagentServiceName } from "../k8s-names";
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

export const derivedNames: Check = ({ teams, nodes, health }) => {
  const problems: ConfigProblem[] = [];
  (teams ?? []).forEach((team, i) => {
    const name = teamAccessLabelName(team.name);
    if (name.length > LABEL_NAME_MAX) {
      problems.push({
        path: `lab:teams[${i}].name`,
        message: `at most ${LABEL_NAME_MAX - (name.length - team.name.length)} characters: the team's node label key "<labelDomain>/${name}" would have a ${name.length}-character name part (limit ${LABEL_NAME_MAX})`,
      });
    }
    const service = vmagentServiceName(teamVmagentName(team.name));
    if (service.length > SERVICE_NAME_MAX) {
      problems.push({
        path: `lab:teams[${i}].name`,
        message: `at most ${SERVICE_NAME_MAX - (service.length - team.name.length)} characters: the Service of the team's experiment vmagent "${service}" would have ${service.length} (limit ${SERVICE_NAME_MAX})`,
      });
    }
  });
  if (nodes && teams && health?.calibration.enabled) {
    const pools = new Set(calibrationPools(health.calibration, nodes, teams));
    const jobs = new Map<string, number>();
    const values = new Map<string, number>();
    const names = new Set<string>();
    nodes.forEach((node, i) => {
      // A repeated node name is already a problem of its own (uniqueNodes).
      if (!pools.has(node.pool) || names.has(node.name)) return;
      names.add(node.name);
      const job = calibrationCronJobName(node.name);
      const clash = jobs.get(job);
      if (clash !== undefined) {
        problems.push({ path: `lab:nodes[${i}].name`, message: `its calibration CronJob name "${job}" (names are cut to 52 characters) is also that of lab:nodes[${clash}]; shorten or vary the first 42 characters` });
      } else jobs.set(job, i);
      const value = labelValue(node.name);
      const same = values.get(value);
      if (same !== undefined && clash === undefined) {
        problems.push({ path: `lab:nodes[${i}].name`, message: `its label value "${value}" (cut to 63 characters) is also that of lab:nodes[${same}]` });
      } else if (same === undefined) values.set(value, i);
    });
  }
  return problems;
};

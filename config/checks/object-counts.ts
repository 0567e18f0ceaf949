/**
 * Cross-check of the object counts each team's quota gets (config/object-counts.ts): a small team
 * next to large ones, or a small etcd quota, can round a team's share to nothing. A quota of 0 Pods
 * or fewer than MIN_PAYLOAD_OBJECTS ConfigMaps/Secrets would leave the namespace unusable (its
 * `kube-root-ca.crt` ConfigMap, the Helm release records the Fleet agent writes as Secrets), so the
 * config is refused at the team's cpu quota, naming what to raise.
 */
import { MIN_PAYLOAD_OBJECTS, objectBudget } from "../object-counts";
import type { ConfigProblem } from "../problems";
import { homeTeamQuotas } from "./nodes-teams";
import type { Check } from "./util";

export const objectCounts: Check = ({ cluster, nodes, teams }) => {
  if (!cluster || !nodes || !teams) return [];
  const derived = homeTeamQuotas(cluster, nodes, teams).quotas;
  const allTeamsCpu = teams.reduce((sum, t) => sum + t.quota.cpu, 0);
  const problems: ConfigProblem[] = [];
  teams.forEach((team, i) => {
    const home = derived.get(team.name);
    if (!home) return; // teamPools reports it
    const { quota, podsDerived } = home;
    const path = `lab:teams[${i}].quota.cpu`;
    if (quota.pods < 1) {
      problems.push({ path, message: `quota.cpu ${team.quota.cpu} is so small a share of the team's pools that it gets 0 pods${podsDerived ? " (quota.pods is derived from the cpu share)" : ""}: raise quota.cpu or set quota.pods` });
      return;
    }
    const budget = objectBudget({ cpu: team.quota.cpu, pods: quota.pods, allTeamsCpu, etcdQuotaGiB: cluster.etcdQuotaGiB, serviceCidr: cluster.serviceCidr });
    if (budget.payloadObjects < MIN_PAYLOAD_OBJECTS) {
      problems.push({
        path,
        message:
          `the team's share of etcd (its cpu quota over all teams' ${allTeamsCpu} cpus, of half of lab:cluster.etcdQuotaGiB = ${cluster.etcdQuotaGiB}) ` +
          `gives it ${budget.payloadObjects} ConfigMaps and ${budget.payloadObjects} Secrets of 1 MiB, fewer than the ${MIN_PAYLOAD_OBJECTS} a namespace needs ` +
          "(kube-root-ca.crt, Helm release records, its own): raise this team's cpu quota or lab:cluster.etcdQuotaGiB",
      });
    }
    if (budget.services < 1) {
      problems.push({ path, message: `the team's share of lab:cluster.serviceCidr gives it 0 Services: raise its cpu quota or widen the service CIDR` });
    }
  });
  return problems;
};

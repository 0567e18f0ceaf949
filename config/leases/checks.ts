/**
 * Cross-checks of `lab:leases`, all reported together, each with its path: the team and nodes
 * exist, no server and no platform-pool node is lent, `until` is after `from`, one node is never in
 * two leases at once, the lease pool name is free, and at every distinct assignment of the horizon
 * the pools still hold every team's quota (the same exact max-flow as `lab:teams[].quota`,
 * config/capacity.ts findOvercommits).
 */
import { describeAmount, findOvercommits, quoteList, type Overcommit } from "../capacity";
import type { Check } from "../checks/util";
import { duplicates } from "../checks/util";
import { quotas } from "../checks/nodes-teams";
import { derivePools, teamQuota } from "../model";
import type { ConfigProblem } from "../problems";
import { distinctAssignments, leasePoolName, type Assignment } from "./assignment";
import { formatInstant, parseInstant } from "./instant";
import { leasedView, type LeaseSections } from "./view";

/** Kubernetes label values (the pool label) are at most 63 characters. */
const MAX_LABEL_VALUE = 63;

function describeAssignment(a: Assignment): string {
  return `${formatInstant(a.at)} (active: ${a.active.map((i) => `lab:leases[${i}]`).join(", ")})`;
}

/** Problems of each lease on its own and against the nodes and teams. */
function leaseShape({ nodes, teams, leases }: LeaseSections): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const teamPools = new Set(teams.flatMap((t) => t.pools));
  const configuredPools = new Set(nodes.map((n) => n.pool));
  leases.forEach((lease, i) => {
    const at = `lab:leases[${i}]`;
    if (!teams.some((t) => t.name === lease.team)) {
      problems.push({ path: `${at}.team`, message: `unknown team "${lease.team}" (teams: ${quoteList(teams.map((t) => t.name))})` });
    }
    const pool = leasePoolName(lease.team);
    if (configuredPools.has(pool)) {
      problems.push({ path: `${at}.team`, message: `the lease pool "${pool}" is also a pool in lab:nodes; rename that pool` });
    }
    if (pool.length > MAX_LABEL_VALUE) {
      problems.push({ path: `${at}.team`, message: `the lease pool name "${pool}" is longer than ${MAX_LABEL_VALUE} characters (a label value)` });
    }
    for (const d of duplicates(lease.nodes, (n) => n)) {
      problems.push({ path: `${at}.nodes[${d.index}]`, message: `node "${d.value}" is listed twice` });
    }
    lease.nodes.forEach((name, j) => {
      const node = nodeByName.get(name);
      const path = `${at}.nodes[${j}]`;
      if (!node) problems.push({ path, message: `unknown node "${name}"` });
      else if (node.role === "server") problems.push({ path, message: `"${name}" is a server; servers run the control plane and are never leased` });
      else if (!teamPools.has(node.pool)) {
        problems.push({ path, message: `"${name}" is in platform pool "${node.pool}" (no team uses it); platform machines are never leased` });
      }
    });
    const from = parseInstant(lease.from)!;
    const until = parseInstant(lease.until)!;
    if (until <= from) problems.push({ path: `${at}.until`, message: `${lease.until} is not after from (${lease.from})` });
  });
  return problems;
}

/** Two leases of one node whose intervals overlap; reported on the later lease's node entry. */
function overlaps({ leases }: LeaseSections): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  leases.forEach((b, k) => {
    const bFrom = parseInstant(b.from)!;
    const bUntil = parseInstant(b.until)!;
    leases.slice(0, k).forEach((a, i) => {
      const overlap = parseInstant(a.from)! < bUntil && bFrom < parseInstant(a.until)!;
      if (!overlap) return;
      b.nodes.forEach((name, j) => {
        if (a.nodes.includes(name)) {
          problems.push({
            path: `lab:leases[${k}].nodes[${j}]`,
            message: `node "${name}" is also leased by lab:leases[${i}] (${a.from} to ${a.until}); one node, one lease at a time`,
          });
        }
      });
    });
  });
  return problems;
}

/** Leases an overcommit is about: those whose nodes left, or whose pool is, one of the short pools. */
function involved(o: Overcommit, a: Assignment, sections: LeaseSections): number[] {
  const byName = new Map(sections.nodes.map((n) => [n.name, n.pool]));
  const hit = a.active.filter((i) => {
    const lease = sections.leases[i];
    return o.pools.includes(leasePoolName(lease.team)) || lease.nodes.some((n) => o.pools.includes(byName.get(n) ?? ""));
  });
  return hit.length > 0 ? hit : [...a.active];
}

/** At every distinct assignment with a lease active, the teams' quotas still fit the pools. */
function capacity(sections: LeaseSections): ConfigProblem[] {
  const { cluster, nodes, teams } = sections;
  const homePools = derivePools(cluster, nodes, teams);
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const a of distinctAssignments(sections)) {
    if (a.active.length === 0) continue; // the home assignment is lab:teams' own quota check
    const view = leasedView(sections, a);
    const pools = derivePools(cluster, view.nodes, view.teams);
    const demands = view.teams.map((t, i) => {
      const home = teamQuota(teams[i], homePools).quota;
      const extra = view.leaseQuota.get(t.name);
      const quota = extra ? { cpu: home.cpu + extra.cpu, memoryGiB: home.memoryGiB + extra.memoryGiB, pods: home.pods + extra.pods } : home;
      return { team: t.name, pools: t.pools, quota };
    });
    const supply = new Map(pools.filter((p) => p.kind !== "platform").map((p) => [p.name, p.allocatable]));
    for (const o of findOvercommits(demands, supply)) {
      for (const i of involved(o, a, sections)) {
        const path = `lab:leases[${i}].nodes`;
        const key = `${path}|${o.kind}|${o.teams.join(",")}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({
          path,
          message:
            `at ${describeAssignment(a)}: teams ${quoteList(o.teams)} are promised ${describeAmount(o.kind, o.demand)}, ` +
            `but their pools ${quoteList(o.pools)} have ${describeAmount(o.kind, o.supply)} allocatable`,
        });
      }
    }
  }
  return problems;
}

export const leaseChecks: Check = ({ cluster, nodes, teams, leases }) => {
  if (!leases || leases.length === 0 || !nodes || !teams) return [];
  const sections = { cluster: cluster!, nodes, teams, leases };
  const shape = leaseShape(sections);
  const problems = [...shape, ...overlaps(sections)];
  // Capacity needs a well-formed calendar over known teams and nodes, team pools that exist, and a
  // home assignment that fits (lab:teams[].quota reports that one; repeating it per lease is noise).
  const existing = new Set(nodes.map((n) => n.pool));
  const teamsValid = teams.every((t) => t.pools.every((p) => existing.has(p)));
  if (cluster && problems.length === 0 && teamsValid && quotas({ cluster, nodes, teams }).length === 0) problems.push(...capacity(sections));
  return problems;
};

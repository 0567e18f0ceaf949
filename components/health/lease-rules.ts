/**
 * Lease rules as data: the lease calendar as recorded series (one per lease and node, values are
 * the lease's instants in Unix seconds, generated from `lab:leases`, never from the clock), the
 * LabLeaseStarting / LabLeaseEnding alerts that tell the teams involved `notice` before a boundary,
 * and the `assignment` comparability gate. Plain PromQL: promtool tests them
 * (test/leases/lease-rules.test.ts) and vmalert runs them unchanged.
 *
 * Why recorded series and not kube-state-metrics alone: KSM exports the node's lease labels and
 * annotations (`kube_node_labels`, `kube_node_annotations`, allow-listed in stack-values.ts) as label
 * strings, and PromQL cannot turn a label into a number to compare with time(). The gate, which
 * looks at what happened, reads KSM; the alerts, which look ahead, read the calendar.
 */
import { durationSeconds } from "../../config/duration";
import { leasePoolName } from "../../config/leases/assignment";
import { parseInstant } from "../../config/leases/instant";
import type { LabModel } from "../../config/model";
import type { HealthContext } from "./context";
import { presentByNode, type Gate } from "./gates";
import { selector, ne } from "./promql/build";
import type { AlertingRule, RecordingRule, RuleGroup } from "./rules";

export const LEASE_SERIES = {
  /** Start of a lease of a node (Unix seconds); labels node, pool (the lease pool), home_pool, team, lender_teams, from, until. */
  start: "lab:lease_start:timestamp_seconds",
  /** End of the lease (exclusive), same labels. */
  end: "lab:lease_end:timestamp_seconds",
  /** How long before each boundary the alerts fire, same labels. */
  notice: "lab:lease_notice:seconds",
} as const;

export const LEASE_ALERTS = ["LabLeaseStarting", "LabLeaseEnding"] as const;

/** The calendar as recording rules: three per lease and node. Pure function of the config's leases. */
export function leaseCalendarRules(model: Pick<LabModel, "leases" | "teams" | "nodes">): RecordingRule[] {
  const home = new Map(model.nodes.map((n) => [n.name, n.homePool]));
  return model.leases.flatMap((lease) =>
    lease.nodes.flatMap((node) => {
      const homePool = home.get(node) ?? "";
      const lenders = model.teams.filter((t) => t.pools.includes(homePool)).map((t) => t.name).sort();
      const labels = {
        node, pool: leasePoolName(lease.team), home_pool: homePool, team: lease.team,
        lender_teams: lenders.join(","), from: lease.from, until: lease.until,
      };
      const seconds = (text: string) => Math.floor(parseInstant(text)! / 1000);
      return [
        { record: LEASE_SERIES.start, expr: `vector(${seconds(lease.from)})`, labels },
        { record: LEASE_SERIES.end, expr: `vector(${seconds(lease.until)})`, labels },
        { record: LEASE_SERIES.notice, expr: `vector(${durationSeconds(lease.notice)})`, labels },
      ];
    }),
  );
}

/** Within `notice` before the boundary, not yet at it. */
function announce(series: string): string {
  return `(${series} - time() > 0) <= ${LEASE_SERIES.notice}`;
}

export function leaseAlertRules(): AlertingRule[] {
  // Lease series carry `from`/`until`: they make each lease's alert its own, and the text says when.
  const labels = { severity: "info", lease: "true" };
  return [
    {
      alert: "LabLeaseStarting",
      expr: announce(LEASE_SERIES.start),
      labels,
      annotations: {
        summary: "{{ $labels.node }} goes to team {{ $labels.team }} at {{ $labels.from }}",
        description:
          "Lease of {{ $labels.node }} (home pool {{ $labels.home_pool }}, teams {{ $labels.lender_teams }}) to team {{ $labels.team }} " +
          "starts at {{ $labels.from }} and ends at {{ $labels.until }}. At the start, pods of other teams are evicted from the node.",
      },
    },
    {
      alert: "LabLeaseEnding",
      expr: announce(LEASE_SERIES.end),
      labels,
      annotations: {
        summary: "{{ $labels.node }} returns from team {{ $labels.team }} to pool {{ $labels.home_pool }} at {{ $labels.until }}",
        description:
          "Lease of {{ $labels.node }} to team {{ $labels.team }} ends at {{ $labels.until }}; the node returns to pool {{ $labels.home_pool }} " +
          "(teams {{ $labels.lender_teams }}) and the pods of team {{ $labels.team }} are evicted from it.",
      },
    },
  ];
}

/** Lease rules evaluate once a minute: boundaries are hours apart, and alerts need no finer step. */
export function leaseRuleGroup(model: Pick<LabModel, "leases" | "teams" | "nodes">): RuleGroup {
  return { name: "lab-leases", interval: "1m", rules: [...leaseCalendarRules(model), ...leaseAlertRules()] };
}

/**
 * The `assignment` gate: a node whose pool label (kube-state-metrics `kube_node_labels`) took more
 * than one value within the gate window changed hands inside it, so its results do not compare
 * across the handover. It reads what the cluster did, not the config.
 */
export function assignmentGate(ctx: HealthContext): Gate {
  const w = ctx.window.gate;
  const labels = selector("kube_node_labels", [ne(ctx.ksmPoolLabel, "")]);
  return {
    name: "assignment",
    title: "Node not handed over",
    threshold: `one pool assignment (kube_node_labels ${ctx.ksmPoolLabel}) over ${w}`,
    source: "project choice (issue 13): a lease boundary changes who runs on the node; Grid'5000 and CloudLab reservations likewise bound a comparison",
    tiers: ["infra"],
    inputs: `kube_node_labels of the node within ${w}`,
    evaluable: [presentByNode(labels, w)],
    failing: [{ expr: `count by (node) (count by (node, ${ctx.ksmPoolLabel}) (max_over_time(${labels}[${w}]))) > 1` }],
  };
}

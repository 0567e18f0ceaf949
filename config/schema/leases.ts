/**
 * `lab:leases`: machines lent to a team for an interval. During `[from, until)` the nodes leave their
 * home pool and form the dedicated lease pool of `team`; the team's quota grows by `quota` (default:
 * the leased nodes' allocatable). Cross-checks: config/leases/checks.ts.
 */
import { z } from "zod";
import { INSTANT_MESSAGE, parseInstant } from "../leases/instant";
import { cores, dnsLabel, dnsSubdomain, duration, gibibytes, positiveInt } from "./primitives";

/** An RFC 3339 UTC instant (`2027-01-15T00:00:00Z`); other forms are refused with the field's path. */
export const instant = z.string().refine((s) => parseInstant(s) !== undefined, { message: INSTANT_MESSAGE });

export const leaseSchema = z.strictObject({
  /** The borrowing team (a name in `lab:teams`). */
  team: dnsLabel,
  /** The machines lent (names in `lab:nodes`; agents of team pools, never servers or platform pools). */
  nodes: z.array(dnsSubdomain).min(1, "must name at least one node").max(1000, "at most 1000 nodes"),
  /** First instant of the lease (inclusive). */
  from: instant,
  /** End of the lease (exclusive): the nodes are home again at this instant. */
  until: instant,
  /** Why, for the calendar and the alerts: free text, shown escaped, never evaluated. */
  reason: z
    .string()
    .min(1, "must say why")
    .max(200, "must be at most 200 characters")
    // \p{C}: control, format (bidi overrides, zero-width), surrogate and unassigned code points, which could
    // make the calendar show a reason other than the one reviewed.
    .regex(/^[^\p{C}]*$/u, "must be one line of text (no control, bidi or zero-width characters)"),
  /** How long before `from` and `until` LabLeaseStarting / LabLeaseEnding tell the teams involved. Default 24h. */
  notice: duration.default("24h"),
  /** What the lease adds to the team's quota. Default: the leased nodes' allocatable (cpu, memory, pods). */
  quota: z
    .strictObject({ cpu: cores(), memoryGiB: gibibytes(), pods: positiveInt.optional() })
    .optional(),
});

export const leasesSchema = z.array(leaseSchema).max(500, "at most 500 leases: end old ones by deleting them");

export type LeaseConfig = z.output<typeof leaseSchema>;

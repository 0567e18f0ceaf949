/**
 * The plan bundle's lease calendar: `calendar.md` (for the pull-request comment and the terminal)
 * and `calendar.html` (self-contained: inline CSS and SVG, no script, no external asset; its grid drawn
 * by the shared chart module tools/charts), per node who has it when over the coming weeks, with the reasons. Every config text is escaped, never interpreted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DAY_MS, leaseCalendar, type Calendar, type CalendarSegment } from "../../config/leases/calendar";
import { formatInstant } from "../../config/leases/instant";
import type { LabConfig } from "../../config/schema";
import { PALETTE } from "../charts/charts";
import { escapeHtml, htmlDocument } from "../charts/html";
import { timelineChart } from "../charts/timeline";

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** An instant as people read it: the day alone at midnight UTC, else day and time. */
function when(ms: number): string {
  return ms % DAY_MS === 0 ? day(ms) : formatInstant(ms).replace("T", " ").replace("Z", " UTC");
}

/** Markdown table text: no cell breaks, no markup, no raw HTML. */
function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>|&#]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function holder(s: CalendarSegment): string {
  if (s.lease) return `leased to ${s.lease.team}`;
  return s.teams.length > 0 ? s.teams.join(", ") : "platform";
}

export function renderCalendarMarkdown(stack: string, cal: Calendar): string {
  const lines = [
    `# Lease calendar: stack \`${stack}\``,
    "",
    `Planned at ${formatInstant(cal.at)}; window ${day(cal.start)} to ${day(cal.end)} (UTC). A lease holds from its start (inclusive) to its end (exclusive).`,
    "",
    "## Leases",
    "",
  ];
  if (cal.leases.length === 0) lines.push("No leases: every node is in its home pool.", "");
  else {
    lines.push("| Lease | State | Team | Nodes | From | Until | Reason |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const l of cal.leases) {
      lines.push(`| lab:leases[${l.index}] | ${l.state} | ${mdText(l.team)} | ${l.nodes.map(mdText).join(", ")} | ${when(l.from)} | ${when(l.until)} | ${mdText(l.reason)} |`);
    }
    lines.push("");
  }
  lines.push("## Nodes", "", "| Node | Home pool | Who has it when |", "| --- | --- | --- |");
  for (const row of cal.rows) {
    const spans = row.segments.map((s) => {
      const who = s.lease ? `**${holder(s)}** (pool ${s.pool}: ${mdText(s.lease.reason)})` : `${holder(s)} (pool ${s.pool})`;
      return `${when(s.from)} to ${when(s.until)}: ${who}`;
    });
    lines.push(`| ${mdText(row.node)} | ${mdText(row.homePool)} | ${spans.join("<br>")} |`);
  }
  lines.push("");
  return lines.join("\n");
}

/** Neutral fills for the weeks a node is not lent: its home pool (shared by the pool's teams) and platform pools (no team). */
const HOME_FILL = "#e8ecf1";
const PLATFORM_FILL = "#f6f6f6";
const HOME = "home pool (its teams)";
const PLATFORM = "platform pool (no team)";

/**
 * Team swatches of the lease table (backgrounds, which browsers drop when printing unless told), and
 * landscape paper: the grid is wide, and scaled to a portrait page its labels get small.
 */
const CALENDAR_CSS = `
.sw { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
@page { size: landscape; }
`;

/**
 * Nodes per figure: a figure is never split across printed pages (PAGE_CSS), so a lab's grid is cut
 * into figures that each fit a landscape Letter or A4 page, the first one under the page heading
 * (12 rows of 36 px, axis, legend and title: about 550 CSS px, scaled to about 490 on the page's
 * roughly 720 printable).
 */
const ROWS_PER_FIGURE = 12;

/** The legend entry of a team's leases; cannot equal HOME or PLATFORM. */
function leasedTo(team: string): string {
  return `leased to ${team}`;
}

/**
 * The calendar page: the "who has each node when" grid drawn by the shared chart module
 * (`timelineChart`, Observable Plot; one row per node with its role and home pool, one bar per segment
 * cut at every lease boundary, hover text with dates, holder and reason, a Monday-ticked UTC day axis,
 * a legend; one figure per ROWS_PER_FIGURE nodes, so that each prints whole), then the leases as a table. Each borrowing team has its own colour (the shared palette in
 * the order of the sorted team names); home and platform pools are grey. Self-contained (inline CSS and
 * SVG, no script, no external asset), the same bytes for the same input, every config text escaped.
 */
export function renderCalendarHtml(stack: string, cal: Calendar): string {
  const days = Math.round((cal.end - cal.start) / DAY_MS);
  const teams = [...new Set(cal.leases.map((l) => l.team))].sort();
  const colour = (team: string) => PALETTE[teams.indexOf(team) % PALETTE.length];
  const states = { [HOME]: HOME_FILL, [PLATFORM]: PLATFORM_FILL, ...Object.fromEntries(teams.map((t) => [leasedTo(t), colour(t)])) };
  const figures = Math.ceil(cal.rows.length / ROWS_PER_FIGURE);
  const grid = Array.from({ length: figures }, (_, f) => {
    const rows = cal.rows.slice(f * ROWS_PER_FIGURE, (f + 1) * ROWS_PER_FIGURE);
    const part = figures > 1 ? `: nodes ${f * ROWS_PER_FIGURE + 1} to ${f * ROWS_PER_FIGURE + rows.length} of ${cal.rows.length}` : "";
    return timelineChart({
      title: `Who has each node when${part}`,
      range: [cal.start / 1000, cal.end / 1000],
      states,
      rows: rows.map((row) => ({
        label: row.node,
        note: `${row.role}, home ${row.homePool}`,
        spans: row.segments.map((s) => ({
          from: s.from / 1000,
          to: s.until / 1000,
          state: s.lease ? leasedTo(s.lease.team) : s.teams.length ? HOME : PLATFORM,
          label: s.lease ? `${s.lease.team}: ${s.lease.reason}` : `${s.pool} (${holder(s)})`,
          title: `${row.node}: ${when(s.from)} to ${when(s.until)}, ${holder(s)} (pool ${s.pool})${s.lease ? `: ${s.lease.reason}` : ""}`,
        })),
      })),
    });
  }).join("\n");
  const leaseRows = cal.leases
    .map(
      (l) =>
        `<tr><td>lab:leases[${l.index}]</td><td>${l.state}</td><td><span class="sw" style="background:${colour(l.team)}"></span>${escapeHtml(l.team)}</td>` +
        `<td>${escapeHtml(l.nodes.join(", "))}</td><td>${escapeHtml(when(l.from))}</td><td>${escapeHtml(when(l.until))}</td><td>${escapeHtml(l.reason)}</td></tr>`,
    )
    .join("\n");
  const body = `<h1>Lease calendar: stack ${escapeHtml(stack)}</h1>
<p class="note">Planned at ${escapeHtml(formatInstant(cal.at))}; ${days} days from ${day(cal.start)}, the day planned (UTC). Grey: the node's home pool and the teams that share it; colour: lent to a team. Grid lines fall on Mondays; hover a bar for its dates and reason.</p>
${grid}
<h2>Leases</h2>
${cal.leases.length === 0 ? "<p>No leases: every node is in its home pool.</p>" : `<table class="list"><thead><tr><th>Lease</th><th>State</th><th>Team</th><th>Nodes</th><th>From</th><th>Until</th><th>Reason</th></tr></thead><tbody>
${leaseRows}
</tbody></table>`}`;
  return htmlDocument(`Lease calendar: ${stack}`, body, CALENDAR_CSS);
}

/** Writes calendar.md and calendar.html into the plan bundle. */
export function writeCalendar(outDir: string, stack: string, config: LabConfig, at: number): void {
  const cal = leaseCalendar(config, at);
  fs.writeFileSync(path.join(outDir, "calendar.md"), renderCalendarMarkdown(stack, cal));
  fs.writeFileSync(path.join(outDir, "calendar.html"), renderCalendarHtml(stack, cal));
}

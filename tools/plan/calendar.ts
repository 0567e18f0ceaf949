/**
 * The plan bundle's lease calendar: `calendar.md` (for the pull-request comment and the terminal)
 * and `calendar.html` (self-contained: inline CSS, no script, no external asset), per node who has
 * it when over the coming weeks, with the reasons. Every config text is escaped, never interpreted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DAY_MS, leaseCalendar, type Calendar, type CalendarSegment } from "../../config/leases/calendar";
import { formatInstant } from "../../config/leases/instant";
import type { LabConfig } from "../../config/schema";

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

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

/** Fixed column widths (with table-layout: fixed), so every day is as wide as every other whatever the text. */
const DAY_COLUMN_PX = 16;
const NODE_COLUMN_PX = 180;

/** A colour per team, fixed by the team's position in the sorted team list (readable on white). */
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

export function renderCalendarHtml(stack: string, cal: Calendar): string {
  const days = Math.round((cal.end - cal.start) / DAY_MS);
  const teams = [...new Set(cal.leases.map((l) => l.team))].sort();
  const colour = (team: string) => PALETTE[teams.indexOf(team) % PALETTE.length];
  const head = Array.from({ length: days }, (_, d) => {
    const t = cal.start + d * DAY_MS;
    const date = new Date(t);
    const monday = date.getUTCDay() === 1;
    return `<th class="d${monday ? " wk" : ""}" title="${day(t)}">${monday || d === 0 ? html(day(t).slice(5)) : ""}</th>`;
  }).join("");
  const rows = cal.rows
    .map((row) => {
      const cells = row.segments
        .map((s) => {
          // Columns from cumulative day positions, so spans add up to the window even off midnight.
          const column = (t: number) => Math.round((t - cal.start) / DAY_MS);
          const span = Math.max(1, column(s.until) - column(s.from));
          const title = `${row.node}: ${when(s.from)} to ${when(s.until)}, ${holder(s)} (pool ${s.pool})${s.lease ? `: ${s.lease.reason}` : ""}`;
          const style = s.lease ? ` style="background:${colour(s.lease.team)}"` : "";
          const label = s.lease ? `${s.lease.team}: ${s.lease.reason}` : `${s.pool} (${holder(s)})`;
          return `<td colspan="${span}" class="${s.lease ? "lease" : s.teams.length ? "home" : "platform"}"${style} title="${html(title)}">${html(label)}</td>`;
        })
        .join("");
      return `<tr><th class="node">${html(row.node)}<small>${html(row.role)}, home ${html(row.homePool)}</small></th>${cells}</tr>`;
    })
    .join("\n");
  const leaseRows = cal.leases
    .map(
      (l) =>
        `<tr><td>lab:leases[${l.index}]</td><td>${l.state}</td><td><span class="sw" style="background:${colour(l.team)}"></span>${html(l.team)}</td>` +
        `<td>${html(l.nodes.join(", "))}</td><td>${html(when(l.from))}</td><td>${html(when(l.until))}</td><td>${html(l.reason)}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lease calendar: ${html(stack)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}
.grid{table-layout:fixed}
.grid th.d{width:${DAY_COLUMN_PX}px;font-weight:normal;font-size:11px;color:#555;text-align:left;white-space:nowrap;overflow:visible;border-left:1px solid #eee}
.grid th.wk{border-left:1px solid #999}
.grid th.node{text-align:left;padding:4px 10px 4px 0;white-space:nowrap;width:${NODE_COLUMN_PX - 10}px}
.grid th.node small{display:block;font-weight:normal;color:#666;font-size:11px}
.grid td{height:34px;border:2px solid #fff;padding:0 6px;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-radius:4px}
.grid td.home{background:#e8ecf1;color:#333}
.grid td.platform{background:#f6f6f6;color:#888}
.grid td.lease{color:#fff;font-weight:600}
.list td,.list th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
.sw{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
</style></head>
<body>
<h1>Lease calendar: stack ${html(stack)}</h1>
<p>Planned at ${html(formatInstant(cal.at))}; ${days} days from ${day(cal.start)} (UTC). Grey: the node's home pool and the teams that share it; colour: lent to a team. The first column is the day planned; hover a bar for its dates.</p>
<table class="grid" style="width:${NODE_COLUMN_PX + days * DAY_COLUMN_PX}px"><thead><tr><th class="node">Node</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Leases</h2>
${cal.leases.length === 0 ? "<p>No leases: every node is in its home pool.</p>" : `<table class="list"><thead><tr><th>Lease</th><th>State</th><th>Team</th><th>Nodes</th><th>From</th><th>Until</th><th>Reason</th></tr></thead><tbody>
${leaseRows}
</tbody></table>`}
</body></html>
`;
}

/** Writes calendar.md and calendar.html into the plan bundle. */
export function writeCalendar(outDir: string, stack: string, config: LabConfig, at: number): void {
  const cal = leaseCalendar(config, at);
  fs.writeFileSync(path.join(outDir, "calendar.md"), renderCalendarMarkdown(stack, cal));
  fs.writeFileSync(path.join(outDir, "calendar.html"), renderCalendarHtml(stack, cal));
}

/** Self-contained HTML pages for reports: inline CSS only, no scripts, no external assets, print-friendly. */

/** Escapes text for HTML and XML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Base style: readable on screen and on paper (black on white, tables and charts never split across pages). */
export const PAGE_CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #111; background: #fff; margin: 24px; max-width: 1200px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.better { color: #1b5e20; font-weight: bold; } .worse { color: #b71c1c; font-weight: bold; } .same { color: #444; }
figure { margin: 12px 0 20px; break-inside: avoid; }
figure h3 { margin: 0 0 4px; }
.note { color: #444; font-size: 13px; }
@media print { body { margin: 0; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
`;

/** A whole HTML document around `body` (already HTML). */
export function htmlDocument(title: string, body: string, css = ""): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}${css}</style>`,
    "</head><body>",
    body,
    "</body></html>",
    "",
  ].join("\n");
}

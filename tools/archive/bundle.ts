/**
 * Per-experiment archives: the experiment's series and the health series of the nodes it ran on,
 * exported as JSON lines (/api/v1/export: version-independent, unlike the native format) and
 * compressed with zstd, with a manifest that says what was exported from where, how much, and the
 * checksum of every file. Restoring imports the files back through /api/v1/import.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import { coldSpecs, keepRegex, TIER_LABEL } from "../../components/monitoring/metrics";
import { MONITORING_NAMESPACE } from "../../config/conventions";
import type { Progress, ProgressStep } from "../progress";

export const MANIFEST = "manifest.json";
export const FORMAT = "dst-lab-archive/1";
/** Health series are kept around the experiment too: what led into it and what followed. */
export const DEFAULT_MARGIN_SECONDS = 1800;

export interface ArchiveFile {
  readonly name: string;
  /** The `match[]` selector exported. */
  readonly query: string;
  readonly series: number;
  readonly samples: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof FORMAT;
  readonly experiment: string;
  /** The experiment as given, and the exported window (with the margin), RFC 3339 and Unix seconds. */
  readonly requested: { readonly from: string; readonly to: string };
  readonly window: { readonly start: string; readonly end: string; readonly startSeconds: number; readonly endSeconds: number };
  readonly marginSeconds: number;
  /** Nodes the experiment's series came from (their `node` label). */
  readonly nodes: readonly string[];
  readonly source: { readonly url: string; readonly victoriaMetricsVersion: string };
  readonly tool: { readonly name: string; readonly version: string; readonly gitCommit: string };
  readonly createdAt: string;
  readonly files: readonly ArchiveFile[];
}

const LABEL_VALUE = /^[A-Za-z0-9_.:-]+$/;

/** A time as RFC 3339 or Unix seconds, in seconds. */
export function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not a time: "${text}" (use RFC 3339 such as 2026-05-12T08:00:00Z, or Unix seconds)`);
  return ms / 1000;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * Namespaces of the platform whose pods' health series an archive keeps (CNI restarts and image
 * digests in kube-system, node_exporter and the scrapes in the monitoring namespace). A team cannot
 * be named after either (config/checks/nodes-teams.ts reserved names). Default of `--platform-namespaces`.
 */
export const DEFAULT_PLATFORM_NAMESPACES: readonly string[] = ["kube-system", MONITORING_NAMESPACE];

/**
 * The selectors an archive exports. Health series are selected per node *and* per namespace: a
 * shared node also carries other teams' pods (their `kube_pod_info`, `container_cpu_usage_seconds_total`,
 * restarts and image digests, labelled with their own `namespace`), which are not this experiment's
 * to take. Kept: series without a namespace, the experiment's namespace and the platform namespaces.
 */
export function archiveQueries(
  experiment: string,
  nodes: readonly string[],
  namespace?: string,
  platformNamespaces: readonly string[] = DEFAULT_PLATFORM_NAMESPACES,
): { experiment: string; health?: string } {
  if (!LABEL_VALUE.test(experiment)) throw new Error(`experiment id "${experiment}" must match ${LABEL_VALUE}`);
  if (namespace !== undefined && !LABEL_VALUE.test(namespace)) throw new Error(`--namespace "${namespace}" must match ${LABEL_VALUE}`);
  const bad = [...nodes, ...platformNamespaces].find((n) => !LABEL_VALUE.test(n));
  if (bad) throw new Error(`node or namespace name "${bad}" must match ${LABEL_VALUE}`);
  // LABEL_VALUE admits "." in names: escape it in the regex.
  const alternatives = (values: readonly string[]) => values.map((v) => v.replace(/\./g, "\\\\.")).join("|");
  const namespaces = [...new Set([...(namespace === undefined ? [] : [namespace]), ...platformNamespaces])].sort();
  return {
    experiment: namespace === undefined ? `{experiment_id="${experiment}"}` : `{experiment_id="${experiment}",namespace="${namespace}"}`,
    // The cold tier's allow-list is the set of health and comparability series; `(…)?` also matches no namespace.
    health: nodes.length
      ? `{__name__=~"${keepRegex(coldSpecs())}",node=~"${alternatives(nodes)}",${TIER_LABEL}!="experiment",namespace=~"(${alternatives(namespaces)})?"}`
      : undefined,
  };
}

function client(url: URL): typeof http | typeof https {
  return url.protocol === "https:" ? https : http;
}

function request(url: URL, method: string, body?: NodeJS.ReadableStream): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = client(url).request(url, { method }, (res) => {
      if ((res.statusCode ?? 0) >= 300) {
        let text = "";
        res.on("data", (c) => (text += c)).on("end", () => reject(new Error(`${method} ${url.pathname}: HTTP ${res.statusCode}: ${text.slice(0, 500)}`)));
        return;
      }
      resolve(res);
    });
    req.on("error", reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

async function getText(url: URL): Promise<string> {
  const res = await request(url, "GET");
  let text = "";
  for await (const chunk of res) text += chunk;
  return text;
}

function apiUrl(base: string, apiPath: string, params: Record<string, string> = {}): URL {
  const url = new URL(`${base.replace(/\/+$/, "")}${apiPath}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

/** The experiment's series in the window (label sets). */
async function seriesOf(vmUrl: string, selector: string, start: number, end: number): Promise<Array<Record<string, string>>> {
  return JSON.parse(await getText(apiUrl(vmUrl, "/api/v1/series", { "match[]": selector, start: String(start), end: String(end) }))).data;
}

/**
 * The version of VictoriaMetrics behind the URL: /api/v1/status/buildinfo (newer releases), else the
 * vm_app_version or app_version label of its own metrics; "unknown" for unstamped builds.
 */
async function victoriaMetricsVersion(vmUrl: string): Promise<string> {
  try {
    const info = JSON.parse(await getText(apiUrl(vmUrl, "/api/v1/status/buildinfo")));
    if (info?.data?.version) return String(info.data.version);
  } catch {
    // older releases have no buildinfo endpoint
  }
  try {
    // /metrics lives at the server root, also for cluster URLs such as .../select/0/prometheus.
    const text = await getText(new URL("/metrics", new URL(vmUrl).origin));
    return /vm_app_version\{[^}]*version="([^"]+)"/.exec(text)?.[1] ?? /app_version="([^"]+)"/.exec(text)?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    fs.createReadStream(file).on("data", (c) => hash.update(c)).on("end", () => resolve(hash.digest("hex"))).on("error", reject);
  });
}

/** Streams one export into `zstd`, counting series (lines) and samples on the way. */
async function exportTo(
  vmUrl: string, selector: string, start: number, end: number, file: string, step?: ProgressStep,
): Promise<{ series: number; samples: number }> {
  const res = await request(apiUrl(vmUrl, "/api/v1/export", { "match[]": selector, start: String(start), end: String(end) }), "GET");
  const zstd = spawn("zstd", ["-q", "-19", "-T0", "-f", "-o", file], { stdio: ["pipe", "inherit", "inherit"] });
  const done = new Promise<void>((resolve, reject) => zstd.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`zstd exited with ${code}`)))).on("error", reject));
  let series = 0;
  let samples = 0;
  let rest = "";
  for await (const chunk of res) {
    zstd.stdin.write(chunk);
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line) continue;
      series++;
      samples += (JSON.parse(line) as { values: unknown[] }).values.length;
    }
    step?.update(series, `series, ${samples} samples`);
  }
  if (rest) {
    series++;
    samples += (JSON.parse(rest) as { values: unknown[] }).values.length;
  }
  zstd.stdin.end();
  await done;
  return { series, samples };
}

export interface ArchiveOptions {
  readonly vmUrl: string;
  readonly experiment: string;
  readonly from: number;
  readonly to: number;
  readonly outDir: string;
  readonly marginSeconds?: number;
  /**
   * Namespace whose pods ran the experiment. The experiment id is a pod label any team can set, so
   * when its series come from more than one namespace (the scrape sets `namespace` from discovery)
   * the archive is refused unless this picks one. Default: none (the id must be unambiguous).
   */
  readonly namespace?: string;
  /** Platform namespaces whose pods' health series are kept (default DEFAULT_PLATFORM_NAMESPACES). */
  readonly platformNamespaces?: readonly string[];
  readonly tool?: Manifest["tool"];
  /** Where to report each step (find series, each export, checksums); none by default. */
  readonly progress?: Progress;
}

export async function createArchive(o: ArchiveOptions): Promise<Manifest> {
  if (o.to <= o.from) throw new Error("--to must be after --from");
  const margin = o.marginSeconds ?? DEFAULT_MARGIN_SECONDS;
  const start = o.from - margin;
  const end = o.to + margin;
  const { experiment } = archiveQueries(o.experiment, [], o.namespace);
  const find = o.progress?.step(`find the series of experiment ${o.experiment}`);
  const series = await seriesOf(o.vmUrl, experiment, start, end);
  find?.end(`${series.length} series`);
  if (series.length === 0) throw new Error(`no series with ${experiment.slice(1, -1)} between ${iso(start)} and ${iso(end)}`);
  const namespaces = [...new Set(series.map((s) => s.namespace ?? ""))].sort();
  if (namespaces.length > 1) {
    throw new Error(
      `experiment_id="${o.experiment}" has series from namespaces ${namespaces.map((n) => n || "(none)").join(", ")}: ` +
        "any team's pod can carry this id; pass --namespace with the one that ran the experiment",
    );
  }
  const nodes = [...new Set(series.map((s) => s.node).filter(Boolean))].sort();
  // The experiment's namespace (given, or the one its series came from): only its pods' health series go in.
  const queries = archiveQueries(o.experiment, nodes, o.namespace ?? (namespaces[0] || undefined), o.platformNamespaces);
  fs.mkdirSync(o.outDir, { recursive: true });
  const files: ArchiveFile[] = [];
  for (const [kind, selector] of [["experiment", queries.experiment], ["health", queries.health]] as const) {
    if (!selector) continue;
    const name = `${kind}.jsonl.zst`;
    const file = path.join(o.outDir, name);
    // The experiment's series count is known from the lookup; the health series' is not.
    const step = o.progress?.step(`export ${name}`, kind === "experiment" ? series.length : undefined);
    const counts = await exportTo(o.vmUrl, selector, start, end, file, step);
    files.push({ name, query: selector, ...counts, bytes: fs.statSync(file).size, sha256: await sha256(file) });
    step?.end(`${counts.series} series, ${counts.samples} samples, ${fs.statSync(file).size} bytes`);
  }
  const manifest: Manifest = {
    format: FORMAT,
    experiment: o.experiment,
    requested: { from: iso(o.from), to: iso(o.to) },
    window: { start: iso(start), end: iso(end), startSeconds: start, endSeconds: end },
    marginSeconds: margin,
    nodes,
    source: { url: o.vmUrl, victoriaMetricsVersion: await victoriaMetricsVersion(o.vmUrl) },
    tool: o.tool ?? { name: "dst-lab archive", version: "unknown", gitCommit: "unknown" },
    createdAt: new Date().toISOString(),
    files,
  };
  fs.writeFileSync(path.join(o.outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads and checks a manifest: every file present with the recorded checksum. */
export async function verifyArchive(dir: string, progress?: Progress): Promise<Manifest> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8")) as Manifest;
  if (manifest.format !== FORMAT) throw new Error(`${dir}: unknown archive format "${manifest.format}"`);
  const step = progress?.step("verify checksums", manifest.files.length);
  for (const [i, f] of manifest.files.entries()) {
    const file = path.join(dir, f.name);
    if (!fs.existsSync(file)) throw new Error(`${dir}: ${f.name} is missing`);
    const sum = await sha256(file);
    if (sum !== f.sha256) throw new Error(`${dir}: ${f.name} has sha256 ${sum}, the manifest says ${f.sha256}`);
    step?.update(i + 1, f.name);
  }
  step?.end();
  return manifest;
}

/** Imports every file of a verified archive through `/api/v1/import` of `vmUrl`. */
export async function restoreArchive(dir: string, vmUrl: string, progress?: Progress): Promise<Manifest> {
  const manifest = await verifyArchive(dir, progress);
  for (const f of manifest.files) {
    const step = progress?.step(`import ${f.name}`);
    const zstd = spawn("zstd", ["-q", "-d", "-c", path.join(dir, f.name)], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => zstd.on("exit", resolve));
    const res = await request(apiUrl(vmUrl, "/api/v1/import"), "POST", zstd.stdout);
    res.resume();
    const code = await exited;
    if (code !== 0) throw new Error(`zstd could not decompress ${f.name} (exit ${code})`);
    step?.end(`${f.series} series, ${f.samples} samples`);
  }
  return manifest;
}

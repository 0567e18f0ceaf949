/**
 * npm run archive -- --experiment ID [--namespace NS] --from T --to T [--vm-url URL] [--margin 30m] [--platform-namespaces kube-system,monitoring] --out DIR|s3://bucket/prefix
 * npm run archive -- --restore DIR|s3://bucket/prefix --vm-url URL
 *
 * Archives an experiment's series ({experiment_id="ID"}) and the health series of the nodes it ran on
 * (only series of the experiment's namespace, of the platform namespaces, or of none: never another
 * team's pods on a shared node) over [from - margin, to + margin] as zstd-compressed JSON lines with a manifest, or imports an
 * archive back. T is RFC 3339 or Unix seconds. The URL is a Prometheus API root: a VMSingle
 * (http://host:8428), vmselect (http://host:8481/select/0/prometheus) to archive, vminsert
 * (http://host:8480/insert/0/prometheus) to restore into the hot tier. s3:// locations are copied with
 * the `aws` CLI (credentials and AWS_ENDPOINT_URL from the environment, as aws itself reads them).
 * Progress (step, series so far, elapsed) goes to stderr: redrawn on a terminal, one line per step in CI.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDuration } from "../config/duration";
import { parseCommandLine } from "./cli";
import { DEFAULT_MARGIN_SECONDS, createArchive, parseTime, restoreArchive } from "./archive/bundle";
import { Progress } from "./progress";

const USAGE = [
  "usage: npm run archive -- --experiment ID [--namespace NS] --from T --to T [--vm-url URL] [--margin 30m] [--platform-namespaces kube-system,monitoring] --out DIR|s3://bucket/prefix",
  "       npm run archive -- --restore DIR|s3://bucket/prefix --vm-url URL",
].join("\n");
const DEFAULT_VM_URL = "http://127.0.0.1:8481/select/0/prometheus";

function aws(...args: string[]): void {
  const result = spawnSync("aws", args, { stdio: "inherit" });
  if (result.error) throw new Error(`s3:// needs the aws CLI on PATH (${result.error.message})`);
  if (result.status !== 0) throw new Error(`aws ${args.join(" ")} failed with ${result.status}`);
}

function gitCommit(): string {
  const result = spawnSync("git", ["rev-parse", "HEAD"], { cwd: path.resolve(__dirname, ".."), encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(["experiment", "namespace", "from", "to", "vm-url", "margin", "out", "restore", "platform-namespaces"], USAGE);
  if (!("values" in parsed)) return parsed.exit;
  const { values } = parsed;
  const vmUrl = values["vm-url"] ?? DEFAULT_VM_URL;
  const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "lab-archive-"));
  const progress = new Progress();

  if (values.restore) {
    if (!values["vm-url"]) {
      console.error(`--restore needs --vm-url (where to import)\n${USAGE}`);
      return 64;
    }
    let dir = values.restore;
    if (dir.startsWith("s3://")) {
      dir = scratch();
      const download = progress.step(`download ${values.restore}`);
      aws("s3", "cp", "--recursive", "--only-show-errors", values.restore, dir);
      download.end();
    }
    const manifest = await restoreArchive(dir, vmUrl, progress);
    for (const f of manifest.files) console.log(`imported ${f.name}: ${f.series} series, ${f.samples} samples`);
    return 0;
  }

  if (!values.experiment || !values.from || !values.to || !values.out) {
    console.error(`--experiment, --from, --to and --out are required\n${USAGE}`);
    return 64;
  }
  const margin = values.margin ? parseDuration(values.margin) : DEFAULT_MARGIN_SECONDS;
  if (margin === undefined) {
    console.error(`--margin: not a duration: ${values.margin}`);
    return 64;
  }
  const toS3 = values.out.startsWith("s3://");
  const outDir = toS3 ? scratch() : path.resolve(values.out);
  const version = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../package.json"), "utf8")).version as string;
  const manifest = await createArchive({
    vmUrl,
    experiment: values.experiment,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    // The monitoring namespace is lab:network.monitoringNamespace; pass it when it is not the default.
    ...(values["platform-namespaces"] ? { platformNamespaces: values["platform-namespaces"].split(",").map((n) => n.trim()) } : {}),
    from: parseTime(values.from),
    to: parseTime(values.to),
    outDir,
    marginSeconds: margin,
    tool: { name: "dst-lab archive", version, gitCommit: gitCommit() },
    progress,
  });
  if (toS3) {
    const upload = progress.step(`upload to ${values.out}`);
    aws("s3", "cp", "--recursive", "--only-show-errors", outDir, values.out);
    upload.end();
  }
  console.log(`archived experiment ${manifest.experiment} (${manifest.window.start} .. ${manifest.window.end}), nodes ${manifest.nodes.join(", ") || "none"}:`);
  for (const f of manifest.files) console.log(`  ${f.name}: ${f.series} series, ${f.samples} samples, ${f.bytes} bytes`);
  console.log(`-> ${values.out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`archive: ${(error as Error).message}`);
    process.exit(1);
  },
);

/**
 * npm run restore-job -- --instance vmstorage-0|…|cold --from latest|daily/YYYYMMDD [--stack NAME | --config-file FILE]
 *
 * Prints the vmrestore Job of the restore procedure (README, Backups and restore) as YAML, for
 * `kubectl apply -f -` once the instance is stopped.
 */
import * as path from "node:path";
import * as yaml from "js-yaml";
import { restoreJob } from "../components/monitoring/restore-job";
import { loadLabModel } from "../config/load";
import { parseCommandLine } from "./cli";
import { readStackFile } from "./plan/stack-file";

const USAGE = "usage: npm run restore-job -- --instance vmstorage-0|...|cold --from latest|daily/YYYYMMDD [--stack NAME | --config-file FILE]";

function main(): number {
  const parsed = parseCommandLine(["instance", "from", "stack", "config-file"], USAGE);
  if (!("values" in parsed)) return parsed.exit;
  const { values } = parsed;
  if (!values.instance || !values.from) {
    console.error(`--instance and --from are required\n${USAGE}`);
    return 64;
  }
  const stack = values.stack ?? "lab";
  const file = values["config-file"] ? path.resolve(values["config-file"]) : path.resolve(__dirname, "..", `Pulumi.${stack}.yaml`);
  const model = loadLabModel(readStackFile(file).raw, stack);
  process.stdout.write(yaml.dump(restoreJob(model, { instance: values.instance, from: values.from }), { lineWidth: -1, noRefs: true }));
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`restore-job: ${(error as Error).message}`);
  process.exit(1);
}

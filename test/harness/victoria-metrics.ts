/** A real VictoriaMetrics (Debian `victoria-metrics`) on a free loopback port, with its own temp dir. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, httpOk, startVictoriaMetrics as startEngine, stop } from "../../tools/monitoring/engines";

export { freePort };

export interface VictoriaMetrics {
  readonly url: string;
  /** POSTs JSON lines to /api/v1/import and flushes, so the data is searchable at once. */
  importLines(lines: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startVictoriaMetrics(): Promise<VictoriaMetrics> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-vm-"));
  const dataDir = path.join(dir, "data");
  fs.mkdirSync(dataDir);
  const engine = await startEngine({ dataDir, logDir: dir });
  return {
    url: engine.url,
    async importLines(lines) {
      await httpOk(engine, "/api/v1/import", { method: "POST", body: `${lines.join("\n")}\n` });
      await httpOk(engine, "/internal/force_flush");
    },
    async stop() {
      await stop(engine);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

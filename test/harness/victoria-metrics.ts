/** A real VictoriaMetrics (Debian `victoria-metrics`) on a free loopback port, with its own temp dir. */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface VictoriaMetrics {
  readonly url: string;
  /** POSTs JSON lines to /api/v1/import and flushes, so the data is searchable at once. */
  importLines(lines: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startVictoriaMetrics(): Promise<VictoriaMetrics> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-vm-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    "victoria-metrics",
    [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, "-retentionPeriod=100y", "-search.disableCache", "-loggerLevel=ERROR"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGINT");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100 || child.exitCode !== null) {
      await stop();
      throw new Error(`victoria-metrics did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async importLines(lines) {
      const response = await fetch(`${url}/api/v1/import`, { method: "POST", body: `${lines.join("\n")}\n` });
      if (!response.ok) throw new Error(`import failed: ${response.status} ${await response.text()}`);
      await fetch(`${url}/internal/force_flush`);
    },
    stop,
  };
}

/** kubectl with the operator's kubeconfig: the only way stack-bench talks to the cluster. */
import { spawn } from "node:child_process";

export class KubectlError extends Error {}

/** What stack-bench needs from kubectl; tests substitute a fake. */
export interface Kubectl {
  /** Runs `kubectl ARGS` (stdin `input`), resolves with stdout; rejects with KubectlError on a non-zero exit. */
  run(args: readonly string[], input?: string): Promise<string>;
  /**
   * Runs `kubectl ARGS` that stream (`get --watch`) and calls `onLine` with each stdout line and the
   * client's clock (Unix milliseconds, sub-millisecond fractions kept) when it arrived. Resolves once
   * the stream is open enough to be stopped; `stop()` ends it.
   */
  watch(args: readonly string[], onLine: (line: string, atMs: number) => void): Promise<{ stop(): void }>;
}

/** The real kubectl on PATH; `kubeconfig` adds `--kubeconfig`, otherwise kubectl's own default (KUBECONFIG, ~/.kube/config). */
export function realKubectl(kubeconfig?: string): Kubectl {
  return {
    run(args, input) {
      const argv = [...(kubeconfig ? ["--kubeconfig", kubeconfig] : []), "--request-timeout=60s", ...args];
      return new Promise((resolve, reject) => {
        const child = spawn("kubectl", argv, { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", (error) => reject(new KubectlError(`kubectl: ${error.message}`)));
        child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new KubectlError(`kubectl ${args.slice(0, 3).join(" ")}: ${stderr.trim() || `exit ${code}`}`))));
        child.stdin.end(input ?? "");
      });
    },
    async watch(args, onLine) {
      const argv = [...(kubeconfig ? ["--kubeconfig", kubeconfig] : []), ...args];
      const child = spawn("kubectl", argv, { stdio: ["ignore", "pipe", "pipe"] });
      let pending = "";
      child.stdout.on("data", (d) => {
        const at = performance.timeOrigin + performance.now();
        pending += d;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.trim() !== "") onLine(line, at);
      });
      child.on("error", () => undefined);
      return { stop: () => void child.kill("SIGTERM") };
    },
  };
}

/** `kubectl ... -o json`, parsed. */
export async function kubectlJson<T>(kubectl: Kubectl, args: readonly string[]): Promise<T> {
  const text = await kubectl.run([...args, "-o", "json"]);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new KubectlError(`kubectl ${args.join(" ")}: not JSON: ${text.slice(0, 200)}`);
  }
}

/** kubectl with the operator's kubeconfig: the only way stack-bench talks to the cluster. */
import { spawn } from "node:child_process";

export class KubectlError extends Error {}

/** What stack-bench needs from kubectl; tests substitute a fake. */
export interface Kubectl {
  /** Runs `kubectl ARGS` (stdin `input`), resolves with stdout; rejects with KubectlError on a non-zero exit. */
  run(args: readonly string[], input?: string): Promise<string>;
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

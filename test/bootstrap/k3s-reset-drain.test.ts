/**
 * Issue 20, way 11 (node removal): `k3s_reset` drained by eviction, which a tenant's
 * PodDisruptionBudget with `maxUnavailable: 0` refuses for ever (kubernetes.io docs, "API-initiated
 * eviction"), and a pod finalizer keeps a deleted pod, so the drain timed out and the node could not
 * leave. The role must delete (`--disable-eviction`), and remove the finalizers of the node's
 * terminating pods before draining once more; the shell that does it runs here for real against a
 * stand-in `k3s` that serves pods and records patches.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ANSIBLE_DIR } from "../../components/bootstrap/ansible-files";

const tasks = parse(fs.readFileSync(path.join(ANSIBLE_DIR, "roles/k3s_reset/tasks/main.yml"), "utf8")) as any[];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-reset-drain-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("way 11: k3s_reset drains what a tenant's PDB or finalizer would hold", () => {
  it("deletes instead of evicting in every drain", () => {
    const drains = tasks.filter((t) => t["ansible.builtin.command"]?.argv?.[2] === "drain");
    expect(drains.map((t) => t.name)).toEqual(["Drain the node", "Drain the node once more"]);
    for (const t of drains) expect(t["ansible.builtin.command"].argv, t.name).toContain("--disable-eviction");
  });

  it("removes the finalizers of the node's terminating pods, taking the node name from the environment only", () => {
    const task = tasks.find((t) => t.name === "Remove the finalizers that hold the node's deleted pods");
    expect(task.environment).toEqual({ NODE: "{{ k3s_node_name }}" });
    expect(task["ansible.builtin.shell"].cmd).not.toContain("{{");
    // A stand-in k3s: the pods it lists are the terminating ones of node $NODE; patches are recorded.
    const k3s = path.join(dir, "k3s");
    fs.writeFileSync(
      k3s,
      `#!/bin/sh
printf "%s\\n" "$*" >> ${dir}/calls
case "$*" in
  "kubectl get pods --all-namespaces --field-selector spec.nodeName=exp-1 -o jsonpath="*) printf 'nomos bench-0\\nother x-0\\n' ;;
  "kubectl get pods"*) echo "wrong node selector: $*" >&2; exit 1 ;;
  "kubectl -n "*" patch pod "*" --type=merge -p {\\"metadata\\":{\\"finalizers\\":null}}") ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
    const result = spawnSync("/bin/sh", ["-c", task["ansible.builtin.shell"].cmd], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, NODE: "exp-1" } });
    expect(result.status, result.stderr).toBe(0);
    const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    expect(calls.slice(1)).toEqual([
      'kubectl -n nomos patch pod bench-0 --type=merge -p {"metadata":{"finalizers":null}}',
      'kubectl -n other patch pod x-0 --type=merge -p {"metadata":{"finalizers":null}}',
    ]);
  });
});

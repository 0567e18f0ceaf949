/**
 * The handover drain, run for real by /bin/sh against a stand-in kubectl that serves namespaces and
 * pods and records deletions: at a lease's start the lenders' pods go, at its end the borrower's,
 * and nobody else's; the component re-runs exactly at boundaries (its triggers change).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { entitledTeams, handoverScript } from "../../components/teams/lease-handover";
import { loadLabModel } from "../../config/load";
import { parseInstant } from "../../config/leases/instant";
import { loadStackConfig } from "../harness/fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-handover-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in kubectl over a pod table, "namespace node pod [finalizer] [deaf]" per line: a deleted
 * pod goes at once unless it has a finalizer (until patched away) or its kubelet is deaf (until
 * force-deleted). `failing` names a namespace whose listing fails. The stand-in answers only the
 * calls the script makes, and fails on any other.
 */
function fakeKubectl(pods: string[], failing = "none"): string {
  const table = pods.map((p) => {
    const [ns, node, name, ...flags] = p.split(" ");
    return `${ns} ${node} ${name} ${flags.includes("finalizer") ? 1 : 0} ${flags.includes("deaf") ? 1 : 0} 0`;
  });
  fs.writeFileSync(path.join(dir, "pods"), `${table.join("\n")}\n`);
  const file = path.join(dir, "kubectl");
  fs.writeFileSync(
    file,
    `#!/bin/sh
set -eu
log=${dir}/calls
table=${dir}/pods
echo "$*" >> "$log"
# columns: namespace node pod finalizer deaf deleted; a row goes once deleted without a finalizer, unless deaf
settle() { awk '!($6 == 1 && $4 == 0 && $5 == 0)' "$table" > "$table.new"; mv "$table.new" "$table"; }
mark() { ns=$1; shift; col=$1; val=$2; shift 2; for p in "$@"; do p=\${p#pod/}; awk -v ns="$ns" -v p="$p" -v c="$col" -v v="$val" '$1 == ns && $3 == p { $c = v } { print }' "$table" > "$table.new"; mv "$table.new" "$table"; done; }
if [ "$1 $2 $3" = "get namespaces -l" ] && [ "$4" = "lab.vac.dev/team" ]; then echo "dst nomos other"; exit 0; fi
if [ "$1" = "-n" ] && [ "$3 $4 $5" = "get pods --field-selector" ]; then
  [ "$2" != "${failing}" ] || { echo "listing failed" >&2; exit 1; }
  node=\${6#spec.nodeName=}
  awk -v ns="$2" -v node="$node" '$1 == ns && $2 == node { print "pod/" $3 }' "$table"
  exit 0
fi
if [ "$1" = "-n" ] && [ "$3" = "delete" ]; then
  ns=$2; shift 3; pods=""; force=0
  for a in "$@"; do case "$a" in pod/*) pods="$pods $a" ;; --force) force=1 ;; esac; done
  mark "$ns" 6 1 $pods
  [ "$force" = 0 ] || mark "$ns" 5 0 $pods
  settle; exit 0
fi
if [ "$1" = "-n" ] && [ "$3" = "patch" ] && [ "$5" = "--type=merge" ] && [ "$7" = '{"metadata":{"finalizers":null}}' ]; then
  mark "$2" 4 0 "$4"; settle; exit 0
fi
if [ "$1" = "-n" ] && [ "$3" = "wait" ] && [ "$4" = "--for=delete" ]; then
  ns=$2; shift 4
  for a in "$@"; do case "$a" in pod/*) p=\${a#pod/}; if awk -v ns="$ns" -v p="$p" '$1 == ns && $3 == p { found = 1 } END { exit !found }' "$table"; then exit 1; fi ;; esac; done
  exit 0
fi
echo "unexpected kubectl call: $*" >&2; exit 2
`,
    { mode: 0o755 },
  );
  fs.rmSync(path.join(dir, "calls"), { force: true });
  return file;
}

interface Drained {
  readonly status: number | null;
  readonly deletes: string[];
  readonly calls: string[];
  readonly left: string[];
  readonly stdout: string;
  readonly stderr: string;
}

function drain(node: string, entitled: string[], pods: string[], failing?: string): Drained {
  const kubectl = fakeKubectl(pods, failing);
  const result = spawnSync("/bin/sh", ["-c", handoverScript(node, entitled, "lab.vac.dev")], { encoding: "utf8", env: { ...process.env, KUBECTL: kubectl } });
  const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
  const left = fs.readFileSync(path.join(dir, "pods"), "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ").slice(0, 3).join(" "));
  return { status: result.status, deletes: calls.filter((c) => c.includes(" delete ")), calls, left, stdout: result.stdout, stderr: result.stderr };
}

const PODS = ["dst node-04 libp2p-0", "dst node-04 libp2p-1", "nomos node-04 bench-0", "dst node-02 libp2p-2", "other node-04 x-0"];

describe("lease handover drain", () => {
  it("at the start of nomos's lease of node-04, deletes the other teams' pods there, and only there", () => {
    const { status, deletes, left } = drain("node-04", ["nomos"], PODS);
    expect(status).toBe(0);
    expect(deletes).toEqual([
      "-n dst delete pod/libp2p-0 pod/libp2p-1 --grace-period=120 --wait=false",
      "-n other delete pod/x-0 --grace-period=120 --wait=false",
    ]);
    expect(left).toEqual(["nomos node-04 bench-0", "dst node-02 libp2p-2"]);
  });

  it("at its end, deletes the borrower's pods when the home pool is not the borrower's", () => {
    const { status, deletes } = drain("node-04", ["dst"], PODS);
    expect(status).toBe(0);
    expect(deletes).toEqual([
      "-n nomos delete pod/bench-0 --grace-period=120 --wait=false",
      "-n other delete pod/x-0 --grace-period=120 --wait=false",
    ]);
  });

  it("deletes nothing when every team with pods there is entitled", () => {
    expect(drain("node-04", ["dst", "nomos", "other"], PODS).deletes).toEqual([]);
  });
});

describe("way 11: what a tenant leaves on its pods does not stall the handover", () => {
  it("removes a finalizer that holds a deleted pod, and still drains the namespaces after it", () => {
    // nomos's Job pod keeps its tracking finalizer (or its own); "other" comes after it in the loop.
    const { status, calls, left, stdout } = drain("node-04", ["dst"], ["nomos node-04 bench-0 finalizer", "nomos node-04 bench-1", "other node-04 x-0"]);
    expect(status).toBe(0);
    expect(left).toEqual([]);
    expect(calls).toContain(`-n nomos patch pod/bench-0 --type=merge -p {"metadata":{"finalizers":null}}`);
    expect(calls).toContain("-n other delete pod/x-0 --grace-period=120 --wait=false");
    expect(stdout).toContain("removing the finalizers of pod/bench-0");
    // Deletes, never evictions: a PodDisruptionBudget cannot hold them.
    expect(calls.some((c) => c.includes("evict") || c.includes("drain"))).toBe(false);
  });

  it("force-deletes pods whose kubelet does not answer, and fails, naming them, only when pods stay", () => {
    const deaf = drain("node-04", ["dst"], ["nomos node-04 bench-0 deaf", "other node-04 x-0"]);
    expect(deaf.status).toBe(0);
    expect(deaf.left).toEqual([]);
    expect(deaf.calls).toContain("-n nomos delete pod/bench-0 --grace-period=0 --force --wait=true --timeout=30s");
    // A namespace that cannot be listed does not stop the others, and the run reports it.
    const broken = drain("node-04", ["dst"], ["nomos node-04 bench-0", "other node-04 x-0"], "nomos");
    expect(broken.status).toBe(1);
    expect(broken.left).toEqual(["nomos node-04 bench-0"]);
    expect(broken.deletes).toEqual(["-n other delete pod/x-0 --grace-period=120 --wait=false"]);
  });
});

describe("entitlement", () => {
  it("entitles the borrower alone during the lease and the pool's teams outside it", () => {
    const raw = loadStackConfig();
    const at = (s: string) => {
      const model = loadLabModel(raw, "lab", { at: parseInstant(s)! });
      return entitledTeams(model, model.nodes.find((n) => n.name === "node-04")!);
    };
    expect(at("2027-01-10T00:00:00Z")).toEqual(["dst", "nomos"]);
    expect(at("2027-01-11T00:00:00Z")).toEqual(["nomos"]);
    expect(at("2027-01-25T00:00:00Z")).toEqual(["dst", "nomos"]);
  });
});

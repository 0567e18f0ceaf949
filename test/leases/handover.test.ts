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

/** pods: "namespace node pod" lines. The stand-in answers only the calls the script makes, and fails on any other. */
function fakeKubectl(pods: string[]): string {
  fs.writeFileSync(path.join(dir, "pods"), `${pods.join("\n")}\n`);
  const file = path.join(dir, "kubectl");
  fs.writeFileSync(
    file,
    `#!/bin/sh
set -eu
log=${dir}/calls
echo "$*" >> "$log"
if [ "$1 $2 $3" = "get namespaces -l" ] && [ "$4" = "lab.vac.dev/team" ]; then echo "dst nomos other"; exit 0; fi
if [ "$1" = "-n" ] && [ "$3 $4 $5" = "get pods --field-selector" ]; then
  node=\${6#spec.nodeName=}
  awk -v ns="$2" -v node="$node" '$1 == ns && $2 == node { print "pod/" $3 }' ${dir}/pods
  exit 0
fi
if [ "$1" = "-n" ] && [ "$3" = "delete" ]; then exit 0; fi
echo "unexpected kubectl call: $*" >&2; exit 2
`,
    { mode: 0o755 },
  );
  fs.rmSync(path.join(dir, "calls"), { force: true });
  return file;
}

function drain(node: string, entitled: string[], pods: string[]): { deletes: string[]; stdout: string } {
  const kubectl = fakeKubectl(pods);
  const result = spawnSync("/bin/sh", ["-c", handoverScript(node, entitled, "lab.vac.dev")], { encoding: "utf8", env: { ...process.env, KUBECTL: kubectl } });
  expect(result.status, result.stderr).toBe(0);
  const calls = fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
  return { deletes: calls.filter((c) => c.includes(" delete ")), stdout: result.stdout };
}

const PODS = ["dst node-04 libp2p-0", "dst node-04 libp2p-1", "nomos node-04 bench-0", "dst node-02 libp2p-2", "other node-04 x-0"];

describe("lease handover drain", () => {
  it("at the start of nomos's lease of node-04, deletes the other teams' pods there, and only there", () => {
    const { deletes } = drain("node-04", ["nomos"], PODS);
    expect(deletes).toEqual([
      "-n dst delete pod/libp2p-0 pod/libp2p-1 --grace-period=120 --wait=true --timeout=180s",
      "-n other delete pod/x-0 --grace-period=120 --wait=true --timeout=180s",
    ]);
  });

  it("at its end, deletes the borrower's pods when the home pool is not the borrower's", () => {
    const { deletes } = drain("node-04", ["dst"], PODS);
    expect(deletes).toEqual([
      "-n nomos delete pod/bench-0 --grace-period=120 --wait=true --timeout=180s",
      "-n other delete pod/x-0 --grace-period=120 --wait=true --timeout=180s",
    ]);
  });

  it("deletes nothing when every team with pods there is entitled", () => {
    expect(drain("node-04", ["dst", "nomos", "other"], PODS).deletes).toEqual([]);
  });

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

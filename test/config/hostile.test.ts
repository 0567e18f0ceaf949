/**
 * Hostile and malformed stack configs (issue 12): each test is the smallest change to the example lab
 * (or the smallest file) that showed a fault, and checks the exact config path it is refused at.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { keyFileProblems } from "../../config/key-file";
import { MAX_STACK_FILE_BYTES, parseStackText, readStackFile } from "../../config/stack-file";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lab-hostile-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function problemsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map(formatProblem);
}

/** Paths of the problems a change causes. */
function pathsOf(change: (c: any) => void): string[] {
  return validateConfig(withChanges(example, change), "lab").problems.map((p) => p.path);
}

function fileProblems(text: string): string[] {
  const read = parseStackText(text, "Pulumi.x.yaml");
  return read.ok ? validateConfig(read.value.raw, "x").problems.map(formatProblem) : read.problems.map(formatProblem);
}

describe("fault 1: config strings never become templates", () => {
  it("refuses a template expression in the install URL", () => {
    expect(pathsOf((c) => (c["lab:hosts"] = { k3sInstallScriptUrl: "https://get.k3s.io/{{lookup('pipe','id>/tmp/marker')}}" }))).toEqual([
      "lab:hosts.k3sInstallScriptUrl",
    ]);
  });

  it("refuses an http:// install URL: the script runs as root on every machine", () => {
    expect(problemsOf((c) => (c["lab:hosts"] = { k3sInstallScriptUrl: "http://get.k3s.io" }))).toEqual([
      "lab:hosts.k3sInstallScriptUrl: must be a https:// URL",
    ]);
  });

  it("accepts only a POSIX user name as the SSH login (Ansible templates ANSIBLE_REMOTE_USER)", () => {
    for (const user of ["{{ lookup('pipe','id') }}", "root;id", "Admin", "a b", "-oProxyCommand=x"]) {
      expect(pathsOf((c) => (c["lab:ssh"].user = user)), user).toEqual(["lab:ssh.user"]);
    }
    expect(pathsOf((c) => (c["lab:ssh"].user = "lab_admin-2"))).toEqual([]);
  });
});

describe("fault 3: no credentials in URLs", () => {
  it("refuses user info in every URL field, naming its path", () => {
    expect(pathsOf((c) => {
      c["lab:teams"][0].repos[0].url = "https://user:token@git.example.org/vac/dst-experiments";
      c["lab:teams"][1].repos[0].url = "ssh://git:token@git.example.org/nomos/lab-deployments";
      c["lab:gitops"].platformRepo.url = "https://token@git.example.org/vac/dst-lab";
      c["lab:monitoring"].alerting.receivers[0].webhook.url = "https://user:pw@hooks.lab.vac.dev/x";
      c["lab:monitoring"].backup.s3.endpoint = "http://key:secret@garage.lab.vac.dev:3900";
      c["lab:hosts"] = { k3sInstallScriptUrl: "https://u:p@get.k3s.io" };
    }).sort()).toEqual([
      "lab:gitops.platformRepo.url",
      "lab:hosts.k3sInstallScriptUrl",
      "lab:monitoring.alerting.receivers[0].webhook.url",
      "lab:monitoring.backup.s3.endpoint",
      "lab:teams[0].repos[0].url",
      "lab:teams[1].repos[0].url",
    ]);
  });

  it("accepts SSH logins without a password and a Secret reference for private repos", () => {
    expect(pathsOf((c) => {
      c["lab:teams"][0].repos[0] = { url: "git@git.example.org:vac/dst-experiments.git", clientSecretName: "dst-git-auth" };
      c["lab:teams"][1].repos[0].url = "ssh://git@git.example.org:2222/nomos/lab-deployments";
    })).toEqual([]);
  });
});

describe("fault 4: every input is bounded", () => {
  function timed<T>(run: () => T): { value: T; ms: number } {
    const start = process.hrtime.bigint();
    const value = run();
    return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  }

  it("refuses a 4 KB alias bomb in well under a second", () => {
    let text = "config:\n  lab:cluster:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 12; i++) text += `    a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    expect(text.length).toBeLessThan(4096);
    const { value, ms } = timed(() => fileProblems(text));
    expect(value).toEqual(["Pulumi.x.yaml: uses YAML aliases more than 100 times"]);
    expect(ms).toBeLessThan(500);
  });

  it("refuses deep nesting and oversized files in well under a second", () => {
    const deep = timed(() => fileProblems(`config:\n  lab:cluster: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`));
    expect(deep.value).toEqual(["Pulumi.x.yaml: nests too deeply to parse (more than 32 levels are refused)"]);
    const nested = timed(() => fileProblems(`config:\n  lab:cluster: ${"[".repeat(40)}${"]".repeat(40)}\n`));
    expect(nested.value).toEqual(["Pulumi.x.yaml: nests deeper than 32 levels"]);
    const big = path.join(tmp, "big.yaml");
    fs.writeFileSync(big, `config:\n  lab:cluster: "${"x".repeat(MAX_STACK_FILE_BYTES)}"\n`);
    const file = timed(() => readStackFile(big));
    expect(file.value.ok ? [] : file.value.problems.map(formatProblem)).toEqual([
      `${big}: ${big} is ${fs.statSync(big).size} bytes; at most ${MAX_STACK_FILE_BYTES} are accepted`,
    ]);
    const wide = timed(() => fileProblems(`config:\n  lab:nodes: [${"1,".repeat(120_000)}1]\n`));
    expect(wide.value).toEqual(["Pulumi.x.yaml: holds more than 100000 values (YAML aliases are counted at every use)"]);
    for (const t of [deep, nested, file, wide]) expect(t.ms).toBeLessThan(700);
  });

  it("reads the SSH key only from a regular file of at most 64 KiB, refusing /dev/zero, FIFOs and directories at once", () => {
    const fifo = path.join(tmp, "key.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const large = path.join(tmp, "large_key");
    fs.writeFileSync(large, "k".repeat(64 * 1024 + 1));
    for (const [file, message] of [
      ["/dev/zero", "/dev/zero is not a regular file"],
      [fifo, `${fifo} is not a regular file`],
      [tmp, `${tmp} is not a regular file`],
      [large, `${large} is 65537 bytes; at most 65536 are accepted`],
    ]) {
      const { value, ms } = timed(() => keyFileProblems(withChanges(example, (c) => (c["lab:ssh"].privateKeyPath = file))));
      expect(value.map(formatProblem)).toEqual([`lab:ssh.privateKeyPath: ${message}`]);
      expect(ms).toBeLessThan(500);
    }
  });
});

describe("fault 5: malformed files are problems with a path, never exceptions", () => {
  it("names the file for an empty file, a list, a scalar, config: hello and a missing file", () => {
    expect(fileProblems("")).toEqual(['Pulumi.x.yaml: is empty; expected a map with a top-level "config:" map']);
    expect(fileProblems("- a\n- b\n")).toEqual(['Pulumi.x.yaml: must be a map with a top-level "config:" map (found a list)']);
    expect(fileProblems("hello\n")).toEqual(['Pulumi.x.yaml: must be a map with a top-level "config:" map (found a string)']);
    expect(fileProblems("config: hello\n")).toEqual(['Pulumi.x.yaml: config: must be a map of "lab:<key>" values (found a string)']);
    expect(fileProblems("config:\n  a: [\n")[0]).toMatch(/^Pulumi\.x\.yaml:\d+:\d+: invalid YAML: /);
    expect(fileProblems("config: !!js/function 'x'\n")[0]).toMatch(/^Pulumi\.x\.yaml:1:\d+: invalid YAML: unknown tag/);
    const missing = path.join(tmp, "Pulumi.missing.yaml");
    const read = readStackFile(missing);
    expect(read.ok ? [] : read.problems.map(formatProblem)).toEqual([`${missing}: ${missing} does not exist`]);
  });

  it("reports prototype names as unknown keys, and refuses nested and repeated section keys", () => {
    const text = fs.readFileSync(path.join(__dirname, "../../Pulumi.lab.yaml"), "utf8").replace(
      "config:\n",
      "config:\n  lab:toString: x\n  lab:constructor: x\n  lab:__proto__: { polluted: true }\n  lab:teams:legacy: []\n  teams: []\n",
    );
    expect(fileProblems(text).map((p) => p.slice(0, p.indexOf(": ")))).toEqual([
      "lab:toString", "lab:constructor", "lab:__proto__", "lab:teams:legacy", "lab:teams",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("fault 6: values that would fail after machines were touched", () => {
  it("accepts only canonical unicast node addresses", () => {
    for (const address of ["192.0.2.011", "0300.0.2.11", "0xc0.0.2.11", "127.0.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "169.254.1.1", "240.0.0.1", " 192.0.2.31"]) {
      expect(pathsOf((c) => (c["lab:nodes"][1].address = address)), address).toEqual(["lab:nodes[1].address"]);
    }
    expect(pathsOf((c) => (c["lab:cluster"].podCidr = "010.42.0.0/16"))).toContain("lab:cluster.podCidr");
  });

  it("checks derived label keys and CronJob names against their limits", () => {
    expect(problemsOf((c) => {
      c["lab:teams"][1].name = "t".repeat(63);
      c["lab:teams"][1].repos = [];
      c["lab:leases"] = []; // the example's lease names the team by its old name
    })).toEqual([
      'lab:teams[1].name: at most 58 characters: the team\'s node label key "<labelDomain>/team-' + "t".repeat(63) + '" would have a 68-character name part (limit 63)',
      'lab:teams[1].name: at most 51 characters: the Service of the team\'s experiment vmagent "vmagent-exp-' + "t".repeat(63) + '" would have 75 (limit 63)',
    ]);
    // Two FQDNs that differ only after their 42nd character: "calibrate-" + 42 characters is the 52-character CronJob limit.
    const fqdn = (n: number) => `datacenter-hel1.rack-a.lab.vac.dev.internal.node-0${n}`;
    const job = "calibrate-datacenter-hel1-rack-a-lab-vac-dev-internal-node-02".slice(0, 52);
    expect(problemsOf((c) => {
      c["lab:nodes"][1].name = fqdn(2);
      c["lab:nodes"][2].name = fqdn(3);
    })).toEqual([
      `lab:nodes[2].name: its calibration CronJob name "${job}" (names are cut to 52 characters) is also that of lab:nodes[1]; shorten or vary the first 42 characters`,
    ]);
  });

  it("keeps the lab's label domain out of the prefixes Kubernetes reserves", () => {
    for (const domain of ["kubernetes.io", "node-role.kubernetes.io", "k8s.io"]) {
      expect(pathsOf((c) => (c["lab:cluster"].labelDomain = domain)), domain).toEqual(["lab:cluster.labelDomain"]);
    }
  });

  it("refuses durations where zero is meaningless", () => {
    expect(problemsOf((c) => {
      c["lab:monitoring"].alerting.groupInterval = "0s";
      c["lab:monitoring"].alerting.repeatInterval = "0m";
      c["lab:hosts"] = { drainTimeout: "0s" };
    })).toEqual([
      "lab:monitoring.alerting.groupInterval: must be longer than 0",
      "lab:monitoring.alerting.repeatInterval: must be longer than 0",
      "lab:hosts.drainTimeout: must be longer than 0",
    ]);
    expect(pathsOf((c) => (c["lab:monitoring"].alerting.groupWait = "0s"))).toEqual([]);
  });

  it("compiles PromQL regexes with RE2 semantics", () => {
    expect(problemsOf((c) => (c["lab:health"].nic = { devices: "(en" }))).toEqual([
      "lab:health.nic.devices: must be an RE2 regex as Prometheus compiles it: error parsing regexp: missing closing ): `(en`",
    ]);
    expect(pathsOf((c) => (c["lab:health"].cni = { pods: "kube-(?=ovn).*" }))).toEqual(["lab:health.cni.pods"]);
  });

  it("takes git ref names as branches and relative paths without '..'", () => {
    for (const branch of ["main; rm -rf /", "a..b", "-main", "feature/", "x.lock", "@", "a\nb", "refs/@{1}", "a b"]) {
      expect(pathsOf((c) => (c["lab:teams"][0].repos[0].branch = branch)), branch).toEqual(["lab:teams[0].repos[0].branch"]);
    }
    expect(pathsOf((c) => (c["lab:teams"][0].repos[0].branch = "release/v1.2"))).toEqual([]);
    expect(pathsOf((c) => (c["lab:teams"][0].repos[0].paths = ["charts/*", "fleet/base"]))).toEqual([]);
    for (const p of ["../other-team", "/etc", "fleet/../../x", "a\nb", "$(id)", "fleet/"]) {
      expect(pathsOf((c) => (c["lab:teams"][0].repos[0].paths = [p])), p).toEqual(["lab:teams[0].repos[0].paths[0]"]);
    }
  });

  it("keeps quantities in ranges that render exactly, and the textfile directory out of system directories", () => {
    expect(pathsOf((c) => (c["lab:nodes"][1].memoryGiB = 1e300))).toEqual(["lab:nodes[1].memoryGiB"]);
    expect(pathsOf((c) => (c["lab:teams"][0].quota.cpu = 0.0001))).toEqual(["lab:teams[0].quota.cpu"]);
    expect(pathsOf((c) => (c["lab:teams"][0].quota.memoryGiB = 1.0001))).toEqual(["lab:teams[0].quota.memoryGiB"]);
    expect(pathsOf((c) => (c["lab:network"].kubeOvn = { resources: { pinger: { requests: { cpu: "0.0001", memory: "1Mi" }, limits: { cpu: "1e300", memory: "1Gi" } } } }))).toEqual([
      "lab:network.kubeOvn.resources.pinger.requests.cpu",
      "lab:network.kubeOvn.resources.pinger.limits.cpu",
    ]);
    for (const dir of ["/", "/etc", "/var/lib", "/etc/node_exporter", "/proc/sys", "/var/lib/../../etc", "relative/dir"]) {
      expect(pathsOf((c) => (c["lab:hosts"] = { textfileDir: dir })), dir).toEqual(["lab:hosts.textfileDir"]);
    }
  });
});

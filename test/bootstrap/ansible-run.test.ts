/**
 * The wrapper script the bootstrap commands run, executed for real by sh with a stand-in
 * ansible-playbook that records what it was given.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ANSIBLE_ENV, ansiblePlaybookScript } from "../../components/bootstrap/ansible-run";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ansible-run-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----";

/** A project directory with ansible/ and a fake ansible-playbook that reports its arguments and files. */
function fakeProject(exitCode = 0): { cwd: string; bin: string; tmp: string; report: string } {
  const cwd = fs.mkdtempSync(path.join(scratch, "project-"));
  const bin = path.join(cwd, "bin");
  const tmp = path.join(cwd, "tmp");
  const report = path.join(cwd, "report");
  fs.mkdirSync(path.join(cwd, "ansible"));
  fs.mkdirSync(bin);
  fs.mkdirSync(tmp);
  // Only the tools the script needs: no real ansible-playbook from the system may be found.
  for (const tool of ["mktemp", "rm", "cat", "stat"]) fs.symlinkSync(spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim(), path.join(bin, tool));
  fs.writeFileSync(
    path.join(bin, "ansible-playbook"),
    [
      "#!/bin/sh",
      `{`,
      '  echo "cwd=$PWD"',
      '  echo "config=$ANSIBLE_CONFIG"',
      '  echo "args=$*"',
      `  echo "key_env=\${${ANSIBLE_ENV.privateKey}:-unset}"`,
      `  echo "vars_env=\${${ANSIBLE_ENV.secretVars}:-unset}"`,
      '  while [ $# -gt 0 ]; do',
      '    case "$1" in',
      '      --private-key) echo "key_mode=$(stat -c %a "$2")"; echo "key=$(cat "$2")"; shift ;;',
      '      -i) echo "inventory=$(cat "$2")"; shift ;;',
      '      -e) case "$2" in @*) echo "vars=$(cat "${2#@}")";; esac; shift ;;',
      "    esac",
      "    shift",
      "  done",
      `} > ${report}`,
      `exit ${exitCode}`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return { cwd, bin, tmp, report };
}

function runScript(project: ReturnType<typeof fakeProject>, script: string) {
  return spawnSync("/bin/sh", ["-c", script], {
    cwd: project.cwd,
    encoding: "utf8",
    input: "all:\n  hosts: {}\n",
    env: {
      PATH: project.bin,
      TMPDIR: project.tmp,
      [ANSIBLE_ENV.privateKey]: KEY,
      [ANSIBLE_ENV.secretVars]: '{"k3s_token":"t0ken"}',
      [ANSIBLE_ENV.sshVars]: '{"ansible_user":{"__ansible_unsafe":"lab"},"ansible_port":22}',
    },
  });
}

describe("the ansible-playbook wrapper script", () => {
  it("hands ansible the key, the secret vars (environment) and the inventory (stdin) as private files, limited to the host", () => {
    const project = fakeProject();
    const result = runScript(project, ansiblePlaybookScript({ playbook: "playbooks/site.yml", limit: "node-03" }));
    expect(result.status, result.stderr).toBe(0);
    const report = Object.fromEntries(
      fs.readFileSync(project.report, "utf8").split(/\n(?=[a-z_]+=)/).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trimEnd()]),
    );
    expect(report.cwd).toBe(path.join(project.cwd, "ansible"));
    expect(report.config).toBe(path.join(project.cwd, "ansible", "ansible.cfg"));
    expect(report.args).toMatch(/^-i \S+\/inventory\.yml --private-key \S+\/id -e @\S+\/ssh-vars\.json -e @\S+\/secret-vars\.json --limit node-03 playbooks\/site\.yml$/);
    expect(report.key).toBe(KEY);
    expect(report.key_mode).toBe("600");
    expect(report.inventory).toBe("all:\n  hosts: {}");
    expect(report.vars).toBe('{"k3s_token":"t0ken"}');
    // ansible and whatever it starts never see the secrets in their environment.
    expect(report.key_env).toBe("unset");
    expect(report.vars_env).toBe("unset");
    // Nothing is left behind, on success...
    expect(fs.readdirSync(project.tmp)).toEqual([]);
  });

  it("fails with ansible's exit code and still removes its files", () => {
    const project = fakeProject(4);
    const result = runScript(project, ansiblePlaybookScript({ playbook: "playbooks/reset.yml", limit: "node-03" }));
    expect(result.status).toBe(4);
    expect(fs.readdirSync(project.tmp)).toEqual([]);
  });

  it("says what to install when ansible-playbook is missing", () => {
    const project = fakeProject();
    fs.rmSync(path.join(project.bin, "ansible-playbook"));
    const result = runScript(project, ansiblePlaybookScript({ playbook: "playbooks/site.yml", limit: "node-03" }));
    expect(result.status).toBe(127);
    expect(result.stderr).toContain("ansible-playbook not found on this machine: install ansible-core >= 2.14");
  });

  it("passes extra arguments and refuses ones that would need shell quoting", () => {
    expect(ansiblePlaybookScript({ playbook: "playbooks/site.yml", limit: "all", extraArgs: ["--check", "--diff"] })).toContain(
      "--limit all --check --diff playbooks/site.yml",
    );
    expect(() => ansiblePlaybookScript({ playbook: "playbooks/site.yml", limit: "node-01; rm -rf /" })).toThrow(/unsafe ansible-playbook argument/);
    expect(() => ansiblePlaybookScript({ playbook: "playbooks/site.yml", limit: "a", extraArgs: ["$(id)"] })).toThrow(/unsafe/);
  });
});

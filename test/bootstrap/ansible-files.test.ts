import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, RESET_PLAYBOOK, patternSelects, rolesForGroup, runDigest, runFiles } from "../../components/bootstrap/ansible-files";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ansible-files-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A copy of the repository's ansible/ directory at `name` inside the scratch directory. */
function copyAnsible(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(ANSIBLE_DIR, dir, { recursive: true });
  return dir;
}

describe("the roles a host's plays run", () => {
  it("reads host patterns the way Ansible does for group names", () => {
    expect(patternSelects("servers:agents", "agents")).toBe(true);
    expect(patternSelects("servers", "agents")).toBe(false);
    expect(patternSelects("all", "agents")).toBe(true);
  });

  it("follows the playbook and the roles it includes", () => {
    expect(rolesForGroup(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "servers")).toEqual(["firewall", "host_prep", "k3s_install", "k3s_server"]);
    expect(rolesForGroup(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "agents")).toEqual(["firewall", "host_prep", "k3s_agent", "k3s_install"]);
    expect(rolesForGroup(ANSIBLE_DIR, RESET_PLAYBOOK, "agents")).toEqual(["k3s_reset"]);
  });

  it("lists the config, the playbook and every file of those roles", () => {
    const files = runFiles(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "agents");
    expect(files).toContain("ansible.cfg");
    expect(files).toContain("playbooks/site.yml");
    expect(files).toContain("roles/k3s_agent/vars/main.yml");
    expect(files).toContain("roles/k3s_install/templates/config.yaml.j2");
    expect(files).toContain("roles/firewall/templates/lab-firewall.nft.j2");
    expect(files.some((f) => f.startsWith("roles/k3s_server/"))).toBe(false);
    expect(files.some((f) => f.startsWith("roles/k3s_reset/"))).toBe(false);
  });
});

describe("the digest in a host's triggers", () => {
  it("does not depend on where the repository is checked out", () => {
    const a = copyAnsible("checkout-a");
    const b = copyAnsible("checkout-b");
    expect(runDigest(a, BOOTSTRAP_PLAYBOOK, "servers")).toBe(runDigest(b, BOOTSTRAP_PLAYBOOK, "servers"));
    expect(runDigest(a, BOOTSTRAP_PLAYBOOK, "servers")).toBe(runDigest(ANSIBLE_DIR, BOOTSTRAP_PLAYBOOK, "servers"));
  });

  it("changes for agents only when the agent role changes, for everyone when a shared role changes", () => {
    const dir = copyAnsible("edited");
    const before = { servers: runDigest(dir, BOOTSTRAP_PLAYBOOK, "servers"), agents: runDigest(dir, BOOTSTRAP_PLAYBOOK, "agents") };
    fs.appendFileSync(path.join(dir, "roles/k3s_agent/vars/main.yml"), "# edited\n");
    expect(runDigest(dir, BOOTSTRAP_PLAYBOOK, "servers")).toBe(before.servers);
    expect(runDigest(dir, BOOTSTRAP_PLAYBOOK, "agents")).not.toBe(before.agents);
    const agentsAfterRoleEdit = runDigest(dir, BOOTSTRAP_PLAYBOOK, "agents");
    fs.appendFileSync(path.join(dir, "roles/host_prep/templates/chrony.conf.j2"), "# edited\n");
    expect(runDigest(dir, BOOTSTRAP_PLAYBOOK, "servers")).not.toBe(before.servers);
    expect(runDigest(dir, BOOTSTRAP_PLAYBOOK, "agents")).not.toBe(agentsAfterRoleEdit);
  });

  it("notices a role added to a play", () => {
    const dir = copyAnsible("added-role");
    fs.mkdirSync(path.join(dir, "roles/extra/tasks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "roles/extra/tasks/main.yml"), "---\n- name: Nothing\n  ansible.builtin.meta: noop\n");
    const site = path.join(dir, BOOTSTRAP_PLAYBOOK);
    fs.writeFileSync(site, fs.readFileSync(site, "utf8").replace("    - role: k3s_agent\n", "    - role: k3s_agent\n    - role: extra\n"));
    expect(rolesForGroup(dir, BOOTSTRAP_PLAYBOOK, "agents")).toContain("extra");
    expect(() => rolesForGroup(dir, BOOTSTRAP_PLAYBOOK.replace("site", "missing"), "agents")).toThrow();
  });
});

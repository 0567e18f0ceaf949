/**
 * Which Ansible files a host's run reads, and their digest: part of the host's triggers, so that
 * editing a role re-runs exactly the hosts whose plays use it.
 *
 * The roles are read from the playbook itself (plays whose `hosts` pattern names the host's group),
 * then closed over role dependencies (`meta/main.yml`) and `include_role` / `import_role` in task
 * and handler files, so the set cannot drift from what Ansible actually runs.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The repository's `ansible/` directory. */
export const ANSIBLE_DIR = path.resolve(__dirname, "../../ansible");
export const BOOTSTRAP_PLAYBOOK = "playbooks/site.yml";
export const RESET_PLAYBOOK = "playbooks/reset.yml";

type Yaml = unknown;

function loadYaml(file: string): Yaml {
  return yaml.load(fs.readFileSync(file, "utf8"));
}

/** Whether an Ansible host pattern such as `servers:agents` or `all` selects `group`. */
export function patternSelects(pattern: string, group: string): boolean {
  return pattern
    .split(/[:,]/)
    .map((p) => p.trim())
    .some((p) => p === group || p === "all");
}

function roleName(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (entry && typeof entry === "object") {
    const e = entry as Record<string, unknown>;
    const name = e.role ?? e.name;
    if (typeof name === "string") return name;
  }
  return undefined;
}

const INCLUDE_KEYS = ["include_role", "import_role", "ansible.builtin.include_role", "ansible.builtin.import_role"];

/** Role names referenced by include_role/import_role anywhere in a parsed task list. */
function includedRoles(node: Yaml, found: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => includedRoles(n, found));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (INCLUDE_KEYS.includes(key)) {
        const name = roleName(value);
        if (name) found.add(name);
      } else includedRoles(value, found);
    }
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Roles a role pulls in: meta dependencies and include_role/import_role in its YAML files. */
function directRoleDeps(ansibleDir: string, role: string): string[] {
  const roleDir = path.join(ansibleDir, "roles", role);
  if (!fs.existsSync(roleDir)) throw new Error(`the playbook uses role "${role}", which ${roleDir} does not contain`);
  const found = new Set<string>();
  const meta = path.join(roleDir, "meta", "main.yml");
  if (fs.existsSync(meta)) {
    const deps = (loadYaml(meta) as { dependencies?: unknown[] } | null)?.dependencies ?? [];
    for (const d of deps) {
      const name = roleName(d);
      if (name) found.add(name);
    }
  }
  for (const sub of ["tasks", "handlers"]) {
    for (const file of filesUnder(path.join(roleDir, sub)).filter((f) => /\.ya?ml$/.test(f))) {
      includedRoles(loadYaml(file), found);
    }
  }
  return [...found];
}

/** Every role the plays of `playbook` run on a host of `group`, sorted. */
export function rolesForGroup(ansibleDir: string, playbook: string, group: string): string[] {
  const plays = loadYaml(path.join(ansibleDir, playbook)) as Array<Record<string, unknown>>;
  const selects = (hosts: unknown) => (Array.isArray(hosts) ? hosts : [hosts]).some((h) => typeof h === "string" && patternSelects(h, group));
  const direct = new Set<string>();
  for (const play of plays.filter((p) => selects(p.hosts))) {
    for (const role of ((play.roles as unknown[] | undefined) ?? []).map(roleName)) if (role) direct.add(role);
    includedRoles(play, direct); // include_role in the play's own tasks
  }
  const closed = new Set<string>();
  const queue = [...direct];
  while (queue.length > 0) {
    const role = queue.shift()!;
    if (closed.has(role)) continue;
    closed.add(role);
    queue.push(...directRoleDeps(ansibleDir, role));
  }
  return [...closed].sort();
}

/** Files that shape a run of `playbook` on a host of `group`: the config, the playbook and its roles. */
export function runFiles(ansibleDir: string, playbook: string, group: string): string[] {
  const roles = rolesForGroup(ansibleDir, playbook, group);
  return [
    path.join(ansibleDir, "ansible.cfg"),
    path.join(ansibleDir, playbook),
    ...roles.flatMap((r) => filesUnder(path.join(ansibleDir, "roles", r))),
  ]
    .map((f) => path.relative(ansibleDir, f))
    .sort();
}

/** sha256 over the files' relative paths and contents: independent of where the repository is checked out. */
export function filesDigest(ansibleDir: string, files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ansibleDir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Digest of everything a run of `playbook` reads for a host of `group`. */
export function runDigest(ansibleDir: string, playbook: string, group: string): string {
  return filesDigest(ansibleDir, runFiles(ansibleDir, playbook, group));
}

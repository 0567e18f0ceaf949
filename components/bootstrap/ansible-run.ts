/**
 * The shell script a `local.Command` runs to play one host: it writes the SSH key, the SSH login vars
 * and the secret vars from the command's environment (secret inputs) and the inventory from its stdin (a plain input, so
 * the plan shows it) into a private temporary directory, runs ansible-playbook limited to the host,
 * and removes the directory whatever the outcome. No secret is ever on a command line (visible in
 * `ps`), in the command's text, or in a file that outlives the run.
 */

import type { LabModel } from "../../config/model";

/** Environment variables the script reads. */
export const ANSIBLE_ENV = {
  /** The SSH private key (secret). */
  privateKey: "LAB_SSH_PRIVATE_KEY",
  /** Extra vars as a JSON object (secret: the k3s token). */
  secretVars: "LAB_ANSIBLE_SECRET_VARS",
  /** The SSH login as extra vars (ansible_user, ansible_port), JSON; see ansibleSshVars. */
  sshVars: "LAB_ANSIBLE_SSH_VARS",
} as const;

/** A JSON value ansible-core loads as an unsafe string (2.14 parsing/ajson.py AnsibleJSONDecoder): never templated. */
function unsafeJson(value: string): { __ansible_unsafe: string } {
  return { __ansible_unsafe: value };
}

/**
 * The SSH login as extra vars: `ansible_user` as an unsafe string and `ansible_port` as a number.
 * Not ANSIBLE_REMOTE_USER: ansible-core templates that setting (a `{{ lookup('pipe', ...) }}` in it
 * runs on the control machine), while an unsafe extra var is used verbatim; extra vars also win over
 * anything a play could set.
 */
export function ansibleSshVars(ssh: Pick<LabModel["ssh"], "user" | "port">): string {
  return JSON.stringify({ ansible_user: unsafeJson(ssh.user), ansible_port: ssh.port });
}

/**
 * The command's environment: the secrets and the SSH login vars, which the script writes to files.
 * The login is kept out of the inventory because the whole `lab:ssh` config key is secret once the
 * key is stored in it (`pulumi config set --secret --path lab:ssh.privateKey`), and the inventory is
 * a plain input shown in plans.
 */
export function ansibleEnvironment<T>(ssh: Pick<LabModel["ssh"], "user" | "port">, privateKey: T, secretVars: T): Record<string, T | string> {
  return {
    [ANSIBLE_ENV.sshVars]: ansibleSshVars(ssh),
    [ANSIBLE_ENV.privateKey]: privateKey,
    [ANSIBLE_ENV.secretVars]: secretVars,
  };
}

/**
 * Extra vars as the JSON the script writes to `secret-vars.json`: each value wrapped as
 * `{"__ansible_unsafe": value}`, which ansible-core's JSON loader (2.14 parsing/ajson.py,
 * AnsibleJSONDecoder, used for `-e @file`) turns into an unsafe string the templar never renders.
 */
export function ansibleSecretVars(vars: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, unsafeJson(v)])));
}

/** Characters that need no shell quoting: enough for host names, paths and `-e @file` arguments. */
const SAFE_ARG = /^[A-Za-z0-9@%+=:,./_-]+$/;

export interface AnsibleRunOptions {
  /** Playbook path relative to the ansible directory, e.g. playbooks/site.yml. */
  readonly playbook: string;
  /** Host pattern for `--limit`, e.g. the node name. */
  readonly limit: string;
  /**
   * The ansible directory as the command sees it. Default "ansible": relative to the working directory
   * of the command provider, which Pulumi starts in the project directory, so the command's inputs do
   * not depend on where the repository is checked out.
   */
  readonly ansibleDir?: string;
  /** Extra ansible-playbook arguments (tests: --check --diff). Default none. */
  readonly extraArgs?: readonly string[];
}

export function ansiblePlaybookScript(options: AnsibleRunOptions): string {
  const args = [
    "-i", '"$work/inventory.yml"',
    "--private-key", '"$work/id"',
    "-e", '"@$work/ssh-vars.json"',
    "-e", '"@$work/secret-vars.json"',
    "--limit", options.limit,
    ...(options.extraArgs ?? []),
    options.playbook,
  ];
  for (const arg of [options.limit, options.playbook, options.ansibleDir ?? "ansible", ...(options.extraArgs ?? [])]) {
    if (!SAFE_ARG.test(arg)) throw new Error(`unsafe ansible-playbook argument: ${JSON.stringify(arg)}`);
  }
  const { privateKey, secretVars, sshVars } = ANSIBLE_ENV;
  return [
    "set -eu",
    "if ! command -v ansible-playbook >/dev/null 2>&1; then",
    '  echo "ansible-playbook not found on this machine: install ansible-core >= 2.14 (see README, Bootstrap)" >&2',
    "  exit 127",
    "fi",
    "umask 077",
    'work=$(mktemp -d "${TMPDIR:-/tmp}/lab-ansible.XXXXXXXX")',
    "trap 'rm -rf \"$work\"' EXIT",
    `printf '%s\\n' "$${privateKey}" > "$work/id"`,
    'cat > "$work/inventory.yml"',
    `printf '%s\\n' "$${secretVars}" > "$work/secret-vars.json"`,
    `printf '%s\\n' "$${sshVars}" > "$work/ssh-vars.json"`,
    `unset ${privateKey} ${secretVars} ${sshVars}`,
    `cd ${options.ansibleDir ?? "ansible"}`,
    `ANSIBLE_CONFIG="$PWD/ansible.cfg" ansible-playbook ${args.join(" ")}`,
    "",
  ].join("\n");
}
